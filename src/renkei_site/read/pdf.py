"""Read the list straight from the PDF: cells from the table's own ruling lines.

pdfplumber (on pdfminer.six) gives every character with its box, and the
cells of each ruled table from the lines and rectangles drawn on the page.
``extract`` makes all the library calls, page by page, and turns whatever a
damaged, truncated or encrypted file makes them raise into one clear line; the
rest works on plain values.  A header row (on every page, or only the first)
names the columns; a row whose No. cell is empty continues the row above, also
across a page break; text outside the tables is the title (above the first
table) or page furniture (``- N -`` footers), and is not read into rows.
A list printed without ruling lines (or with only some: rules between rows,
shaded header cells) is laid out as text, page by page, as ``pdftotext
-layout`` would, and read by the fixed-width reader; its rows are located by
page too.
Lines inside a cell are joined by ``table.join_wrapped``; a line that filled
its cell (the next line's first character would not have fitted) is a soft
wrap.  Rows are located by page and their top on it; problems read
``FILE:page N: …``.
"""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException

from .. import source
from ..errors import InputError, Problem
from .chars import standard_chars
from .layout import parse_layout
from .table import (
    HEADER_SUMMARY,
    Row,
    Table,
    check_rows,
    clean,
    header_columns,
    header_problem,
    is_header_text,
    join_wrapped,
    parse_title,
)


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    order: int  # where the page draws it: the reading order, unless it jumps back

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Cell:
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[Char] = field(default_factory=list)


@dataclass
class Page:
    """One page as plain values: its ruled tables (rows of cells with their characters) and the
    characters outside them."""

    number: int
    tables: list[list[list[Cell]]]
    outside: list[Char]
    has_text: bool


def parse_pdf(data: bytes, file: str) -> Table:
    """The table of a PDF, or an InputError that says in one line why there is none."""
    pages = extract(data, file)
    if not any(page.has_text for page in pages):
        raise InputError.at(
            file,
            1,
            "no text layer: the pages are images only (a scan?); run OCR on it (e.g. ocrmypdf) "
            "or import the list as text (tab-separated, or what `pdftotext -layout` prints)",
            unit="page",
        )
    title, year, as_of = parse_title(_title_lines(pages))
    try:
        rows = _read_rows(pages, file)
    except NoRuledRows as no_rows:
        rows = _read_unruled(layout_text(data, file), file, no_rows)
    return Table(file, "pdf", "pdf", title, year, as_of, tuple(rows))


T = TypeVar("T")


class NoRuledRows(InputError):
    """No ruled table of the PDF holds rows under the list's header."""


# --- the library's edge --------------------------------------------------------


@contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """No log lines from the library on the terminal (pdfminer warns about FontBBox of CJK fonts)."""
    loggers = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def extract(data: bytes, file: str) -> list[Page]:
    """Every page's tables and characters; a file the library cannot read is one InputError."""
    drawn = each_page(data, file, _drawn)
    return [_place(number, chars, grids) for number, (chars, grids) in enumerate(drawn, start=1)]


def _drawn(page) -> tuple[list[Char], list[list[list]]]:
    """A page's characters and its ruled tables' rows of cells (None where a merged cell covers one)."""
    chars = [_char(c, i) for i, c in enumerate(page.chars) if c.get("text")]
    return chars, [[list(row.cells) for row in table.rows] for table in page.find_tables(_cut_lines(page))]


LAYOUT_LINE_PT = 13  # pdfplumber's layout text: one line per 13 points of the page's height


def layout_text(data: bytes, file: str) -> list[str]:
    """Each page laid out as fixed-width text (pdfplumber's ``layout=True``, like ``pdftotext
    -layout``), in standard characters."""
    return each_page(data, file, lambda page: standard_chars(page.extract_text(layout=True, y_density=LAYOUT_LINE_PT)))


def each_page(data: bytes, file: str, work: Callable[[Any], T]) -> list[T]:
    """``work`` done on each of the library's pages, with its logging silenced; whatever a damaged,
    truncated or encrypted file makes it raise — opening the file or parsing any page, which
    pdfplumber does lazily, inside ``work`` — is one InputError naming the page."""
    if b"%%EOF" not in data[-2048:]:
        raise InputError.at(file, 0, "truncated PDF (it does not end with %%EOF): copy or download it again", "page")
    done, number = [], 0
    with _quiet_pdfminer():
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for page in pdf.pages:
                    number += 1
                    done.append(work(page))
                    page.close()
        except Exception as error:  # pdfminer raises many kinds on a broken file; none may escape as a traceback
            raise InputError.at(file, number, _failure(error), "page") from None
    return done


def _cut_lines(page) -> dict:
    """A row cut by a page break has no line at the cut: close it where the column lines end."""
    verticals = page.vertical_edges
    if not verticals:
        return {}
    return {"explicit_horizontal_lines": [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]}


def _failure(error: Exception) -> str:
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, PDFEncryptionError):
        return "encrypted PDF (it needs a password): save a copy without protection, or import the list as text"
    detail = f"{type(cause).__name__}: {cause}".rstrip(": ")[:160]
    return f"damaged PDF, cannot be read ({detail}): copy or download it again"


def _char(c: dict, order: int) -> Char:
    return Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"], order)


def _place(number: int, chars: list[Char], grids: list[list[list]]) -> Page:
    """Put each character in the cell its middle falls in; the rest stay outside."""
    tables = [[[Cell(*box) for box in cells if box is not None] for cells in grid] for grid in grids]
    tables = sorted((t for t in tables if any(t)), key=lambda t: min(c.top for row in t for c in row))
    rows = sorted((row for table in tables for row in table if row), key=lambda row: row[0].top)
    tops = [row[0].top for row in rows]
    lefts = [[cell.x0 for cell in row] for row in rows]
    outside = []
    for char in chars:
        x, y = (char.x0 + char.x1) / 2, char.middle
        i = bisect.bisect_right(tops, y) - 1
        j = bisect.bisect_right(lefts[i], x) - 1 if i >= 0 else -1
        cell = rows[i][j] if j >= 0 else None
        if cell is not None and x <= cell.x1 and y <= cell.bottom:
            cell.chars.append(char)
        else:
            outside.append(char)
    return Page(number, tables, outside, has_text=any(not c.text.isspace() for c in chars))


# --- lines, cells and rows -------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of text in a cell: how much room was left at its end, how wide its first character."""

    text: str
    room: float
    first: float


def text_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines (top to bottom), each in the order the page draws them, or left
    to right where that order jumps back (a bracket pulled left by spacing trim stays in place);
    overprinted copies (fake bold) dropped."""
    lines: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (c.middle, c.x0)):
        if lines and char.middle - lines[-1][0].middle < 0.5 * max(char.size, lines[-1][0].size):
            lines[-1].append(char)
        else:
            lines.append([char])
    result = []
    for line in lines:
        line.sort(key=lambda c: c.order)
        if any(b.x0 < a.x0 - 0.6 * a.size for a, b in itertools.pairwise(line)):
            line.sort(key=lambda c: c.x0)
        result.append([c for i, c in enumerate(line) if not i or not _same(c, line[i - 1])])
    return result


def _same(a: Char, b: Char) -> bool:
    return a.text == b.text and abs(a.x0 - b.x0) < 0.5 and abs(a.top - b.top) < 0.5


def line_text(chars: list[Char]) -> str:
    """The characters of a line in their standard form; a space where the gap between two is wider
    than a quarter em."""
    parts = [chars[0].text]
    for before, char in itertools.pairwise(chars):
        if char.x0 - before.x1 > 0.25 * char.size and not (before.text.isspace() or char.text.isspace()):
            parts.append(" ")
        parts.append(char.text)
    return standard_chars("".join(parts))


def cell_lines(cell: Cell) -> list[Line]:
    """The lines of a cell; the room at a line's end is measured to the cell's right padding
    (taken equal to its left padding)."""
    lines = [line for line in text_lines(cell.chars) if "".join(c.text for c in line).strip()]
    if not lines:
        return []
    padding = max(min(line[0].x0 for line in lines) - cell.x0, 0)
    right = cell.x1 - padding
    return [Line(line_text(line), right - line[-1].x1, line[0].x1 - line[0].x0) for line in lines]


def cell_text(lines: list[Line]) -> tuple[str, str]:
    """(verbatim, cleaned): lines joined with a line break, and by the join rule."""
    raw = "\n".join(line.text.strip() for line in lines)
    text = ""
    for before, line in zip([None, *lines], lines, strict=False):
        text = join_wrapped(text, line.text, soft=before is not None and line.first > before.room + 0.5)
    return raw, clean(text)


class _RowBuilder:
    """One row of the list: its cells' lines, gathered over one or more pages."""

    def __init__(self, start: source.Source, columns: list[str]):
        self.source = start
        self.lines: dict[str, list[Line]] = {key: [] for key in columns}

    def add(self, page: int, cells: dict[str, list[Line]]) -> None:
        self.source = self.source.to(page)
        for key, lines in cells.items():
            self.lines.setdefault(key, []).extend(lines)

    def row(self) -> Row:
        texts = {key: cell_text(lines) for key, lines in self.lines.items()}
        raw = {key: value[0] for key, value in texts.items()}
        return Row(self.source, raw, {key: value[1] for key, value in texts.items()})


def _read_rows(pages: list[Page], file: str) -> list[Row]:
    """Rows under the header row, continuation rows (no No.) joined to the row they continue."""
    problems: list[Problem] = []
    columns: list[str] | None = None
    builders: list[_RowBuilder] = []
    for page in pages:
        at = functools.partial(Problem, source.page(file, page.number))
        for table in page.tables:
            for cells in table:
                lines = [cell_lines(cell) for cell in cells]
                labels = [cell_text(cell)[1] for cell in lines]
                if is_header_text(" ".join(labels)):
                    columns = header_columns(labels)
                    message = header_problem(columns, labels)
                    if message:
                        problems.append(at(message))
                        columns = None
                    continue
                if columns is None or not any(labels):
                    continue  # a table (or a row) before the list's header: not the list
                if len(cells) != len(columns):
                    problems.append(at(f"row has {len(cells)} cells, expected {len(columns)}"))
                    continue
                if labels[columns.index("no")]:
                    builders.append(_RowBuilder(source.page(file, page.number, round(cells[0].top)), columns))
                elif not builders:
                    problems.append(at("text outside any row (no No. above it)"))
                    continue
                builders[-1].add(page.number, dict(zip(columns, lines, strict=True)))
    if not builders and not problems:
        raise NoRuledRows(
            [
                Problem.at(
                    file, 0, f"no table with the header row {HEADER_SUMMARY} on its {len(pages)} page(s)", unit="page"
                )
            ]
        )
    return check_rows([b.row() for b in builders], problems, file, seen_header=True, unit="page")


def _read_unruled(pages: list[str], file: str, no_rows: NoRuledRows) -> list[Row]:
    """The rows of the pages laid out as text, located by page (and the top of their first line);
    when the text has no header line either, the PDF has no such table (``no_rows``)."""
    lines, where = [], []
    for number, text in enumerate(pages, start=1):
        page_lines = text.split("\n")
        lines += page_lines
        where += [(number, index * LAYOUT_LINE_PT) for index in range(len(page_lines))]
    try:
        rows = parse_layout(lines, file)
    except InputError as error:
        if any(is_header_text(line) for line in lines):
            raise InputError([_on_page(problem, where) for problem in error.problems]) from None
        raise no_rows from None
    return [_row_on_page(row, where) for row in rows]


def _row_on_page(row: Row, where: list[tuple[int, int]]) -> Row:
    first, top = where[row.source.first - 1]
    return replace(row, source=source.page(row.source.file, first, top).to(where[row.source.last - 1][0]))


def _on_page(problem: Problem, where: list[tuple[int, int]]) -> Problem:
    page = where[problem.line - 1][0] if 0 < problem.line <= len(where) else 0
    return replace(problem, source=source.page(problem.file, page))


def _outside_lines(page: Page, above: float | None = None) -> list[str]:
    chars = [c for c in page.outside if above is None or c.bottom <= above]
    return [line_text(line) for line in text_lines(chars)]


def _title_lines(pages: list[Page]) -> list[str]:
    """The lines above the first table (where the title is)."""
    for page in pages:
        if page.tables:
            return _outside_lines(page, above=min(cell.top for row in page.tables[0] for cell in row))
        if page.has_text:
            return _outside_lines(page)
    return []
