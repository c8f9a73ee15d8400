"""Located problems, reported like a compiler: ``file:line: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a look) at a place in a source file."""

    file: str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.file}:{self.line}: {prefix}{self.message}"


class InputError(Exception):
    """Raised with every problem found, so they can all be printed at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file: str, line: int, message: str) -> InputError:
        return cls([Problem(file, line, message)])


def raise_if_errors(problems: list[Problem]) -> None:
    """Raise an InputError if any problem is an error (warnings pass)."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
