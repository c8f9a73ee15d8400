"""Located problems, reported like a compiler: ``file:line: message`` (``file:page N: message`` in a PDF)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a look) at a place in a source file."""

    file: str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"
    unit: str = "line"  # what ``line`` counts: "line", or "page" in a PDF (0: the whole file)

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        if self.unit == "line":
            return f"{self.file}:{self.line}: {prefix}{self.message}"
        where = f"{self.unit} {self.line}: " if self.line else " "
        return f"{self.file}:{where}{prefix}{self.message}"


class InputError(Exception):
    """Raised with every problem found, so they can all be printed at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: str, line: int, message: str, unit: str = "line") -> InputError:
        return cls([Problem(file, line, message, unit=unit)])


def raise_if_errors(problems: list[Problem]) -> None:
    """Raise an InputError if any problem is an error (warnings pass)."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
