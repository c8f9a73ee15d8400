"""Located problems, reported like a compiler: ``file:line: message`` (``file:page N: message`` in a
PDF, ``file:sheet NAME:row N: message`` in a workbook)."""

from __future__ import annotations

from dataclasses import dataclass

from .source import Source


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a look) at a place in a source file."""

    source: Source
    message: str
    severity: str = "error"  # "error" or "warning"

    @classmethod
    def at(cls, file: str, line: int, message: str, unit: str = "line") -> Problem:
        """A problem at one line (or page, with ``unit``) of a file; 0: the whole file."""
        return cls(Source(file, line, unit=unit), message)

    @property
    def file(self) -> str:
        return self.source.file

    @property
    def line(self) -> int:
        """The line (page, row) it starts at; 0: the whole file."""
        return self.source.first

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.source}: {prefix}{self.message}"


class InputError(Exception):
    """Raised with every problem found, so they can all be printed at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: str, line: int, message: str, unit: str = "line") -> InputError:
        return cls([Problem.at(file, line, message, unit)])

    @classmethod
    def of(cls, source: Source, message: str) -> InputError:
        return cls([Problem(source, message)])
