"""Where something came from: one value for a row of a list, a record, a problem.

A list may arrive as text (lines), a PDF (pages, and a row's top on its first
page) or a workbook (a sheet's rows); a YAML table or note is text.  Every stage
that keeps or shows a location keeps this value, so a new form with its own
kind of place changes this module, not the stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

UNITS = ("line", "page", "row")  # what ``first`` and ``last`` count
UNIT_JA = {"line": "行目", "page": "ページ", "row": "行目"}


@dataclass(frozen=True, slots=True, order=True)
class Source:
    """A span of a source file: lines, pages or a sheet's rows (``first`` 0: the whole file)."""

    file: str
    first: int = 0
    last: int = 0  # 0: the same as ``first``
    unit: str = "line"
    sheet: str = ""  # in a workbook: the sheet's name (unit "row")
    top: int | None = field(default=None, compare=False)  # in a PDF: the top on the first page, in points

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown source unit {self.unit!r}")
        if self.last < self.first:
            object.__setattr__(self, "last", self.first)

    def __reduce__(self):
        """Pickled as its fields in order (a year's cache holds one per project)."""
        return (Source, (self.file, self.first, self.last, self.unit, self.sheet, self.top))

    @property
    def where(self) -> str:
        """The place within the file as a problem names it: "12", "page 3", "sheet 一覧:row 5", ""."""
        if not self.first:
            return f"sheet {self.sheet}" if self.sheet else ""
        if self.unit == "line":
            return str(self.first)
        spot = f"{self.unit} {self.first}"
        return f"sheet {self.sheet}:{spot}" if self.sheet else spot

    def __str__(self) -> str:
        return f"{self.file}:{self.where}" if self.where else self.file

    def span_ja(self) -> str:
        """The span as a page says it: 「3ページ」, 「12–14行目」, 「シート「一覧」5行目」."""
        unit = UNIT_JA[self.unit]
        sheet = f"シート「{self.sheet}」" if self.sheet else ""
        if not self.first:
            return sheet
        span = f"{self.first}{unit}" if self.last == self.first else f"{self.first}{unit}–{self.last}{unit}"
        return sheet + span

    def to(self, last: int) -> Source:
        """The same start, running to ``last``."""
        return replace(self, last=last)

    def at(self, first: int, last: int = 0) -> Source:
        """Another span of the same file, sheet and unit."""
        return replace(self, first=first, last=last or first, top=None)


def line(file: str, number: int) -> Source:
    return Source(file, number)


def page(file: str, number: int, top: int | None = None) -> Source:
    return Source(file, number, unit="page", top=top)


def sheet_row(file: str, sheet: str, row: int) -> Source:
    return Source(file, row, unit="row", sheet=sheet)
