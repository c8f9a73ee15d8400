"""Read the list straight from the PDF: cells from the table's own ruling lines.

pdfplumber (on pdfminer.six) gives every character with its box, and the
cells of each ruled table from the lines and rectangles drawn on the page.
``extract`` makes all the library calls, page by page, and turns whatever a
damaged, truncated or encrypted file makes them raise into one clear line; the
rest works on plain values (read/cells.py); read/ruled.py reads the rows of the
ruled tables, merged cells applied.  Text outside the tables is the title and the
as-of date (above the first table), page furniture (``- N -`` footers), or a merged
cell's text drawn where the range runs on past the table.
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

import io
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TypeVar

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException

from .. import source
from ..errors import InputError, Problem
from .cells import Char, Page, line_text, place, text_lines
from .chars import CONTROL, control_problem, standard_chars
from .layout import parse_layout
from .ruled import NoRuledRows, read_rows
from .table import Row, Table, is_header_text, parse_title

__all__ = ["Char", "extract", "line_text", "parse_pdf", "text_lines"]  # what the tests and the bench use


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
    _refuse_controls(pages, file)
    title, year, as_of = parse_title(_title_lines(pages))
    try:
        rows = read_rows(pages, file)
    except NoRuledRows as no_rows:
        rows = _read_unruled(layout_text(data, file), file, no_rows)
    return Table(file, "pdf", "pdf", title, year, as_of, tuple(rows))


T = TypeVar("T")


def _refuse_controls(pages: list[Page], file: str) -> None:
    """A control character drawn as text (a broken font map, or NUL in the source) is refused by page."""
    problems = []
    for page in pages:
        chars = page.outside + [c for table in page.tables for row in table for cell in row for c in cell.chars]
        found = next((c.text for c in chars if CONTROL.search(c.text)), None)
        if found is not None:
            problems.append(Problem(source.page(file, page.number), control_problem(found)))
    if problems:
        raise InputError(problems)


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
    return [replace(place(n, chars, grids), cut=cut) for n, (chars, grids, cut) in enumerate(drawn, start=1)]


def _drawn(page) -> tuple[list[Char], list[list[list]], bool]:
    """A page's characters, its ruled tables' rows of cells (None where a merged cell covers one), and
    whether its last row is cut by the page's end (no rule drawn under it)."""
    chars = [_char(c, i) for i, c in enumerate(page.chars) if c.get("text")]
    tables = page.find_tables(_cut_lines(page))
    return chars, [[list(row.cells) for row in table.rows] for table in tables], _cut_at_end(page, tables)


def _cut_at_end(page, tables) -> bool:
    """No rule under the first cell of the last table's last row: the row runs on to the next page."""
    last = [cell for cell in tables[-1].rows[-1].cells if cell is not None] if tables else []
    if not last:
        return False
    x0, _, x1, bottom = last[0]
    return not any(
        abs(edge["top"] - bottom) < 1.5 and edge["x0"] <= x0 + 1.5 and edge["x1"] >= x1 - 1.5
        for edge in page.horizontal_edges
    )


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
