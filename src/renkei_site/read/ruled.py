"""The rows of a ruled PDF table: cells from the table's own lines, merged cells applied.

A header row (on every page, or only the first) names the columns; a row whose No.
cell is empty (or covered by the No. cell above) continues the row above, also across
a page break.  A merged cell — 所管局 down the rows that share a bureau — applies to
every row it spans, over pages too: a place it covers (read/cells.py) belongs to it.
An office program draws the merged text once per page the range touches, centred on
the whole range: inside it, under the rows of another page's part of it, below the
table or above it.  So each part of a merged cell also takes the text drawn outside
the table in its column (below the table when the range runs on to the next page, above
it when it came from the page before), and the cell's text is its one part with the
most characters: taken once, wherever it was drawn.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .. import source
from ..errors import InputError, Problem
from .cells import Cell, Char, Line, Page, cell_lines, cell_text, line_text, text_lines
from .table import (
    COLUMNS,
    FOOTER,
    HEADER_SUMMARY,
    LIST_HEADER,
    Row,
    check_rows,
    header_columns,
    header_problem,
    is_header_text,
)

LABEL = dict(zip(COLUMNS, LIST_HEADER, strict=True))


class NoRuledRows(InputError):
    """No ruled table of the PDF holds rows under the list's header."""


@dataclass
class Span:
    """One cell of the list: a cell of its own, or a merged cell over rows and pages; its part on
    each page (its box there and the characters drawn in it, or for it outside the table)."""

    parts: dict[int, Cell] = field(default_factory=dict)
    covers: int = 0  # places of other rows it spans
    outside: dict[int, list[Char]] = field(default_factory=dict)  # page -> drawn outside the table in its column
    same_as: Span | None = None  # the merged cell of the page before that this one runs on

    def take(self, page: int, cell: Cell) -> None:
        part = self.parts.get(page)
        if part is None:
            self.parts[page] = Cell(cell.x0, cell.top, cell.x1, cell.bottom, list(cell.chars))
            return
        part.top, part.bottom = min(part.top, cell.top), max(part.bottom, cell.bottom)
        part.chars.extend(cell.chars)

    @functools.cached_property
    def lines(self) -> list[Line]:
        """The lines of the part drawn most fully (each page draws a merged cell's whole text)."""
        if self.same_as is not None:
            return self.same_as.lines
        parts = list(self.parts.items())
        if self.covers or not any(not c.text.isspace() for _, part in parts for c in part.chars):
            parts = [(n, Cell(p.x0, p.top, p.x1, p.bottom, p.chars + self.outside.get(n, []))) for n, p in parts]
        best = max((part for _, part in parts), key=lambda part: sum(not c.text.isspace() for c in part.chars))
        return cell_lines(best)


class _RowBuilder:
    """One row of the list: its cells, gathered over one or more table rows and pages."""

    def __init__(self, start: source.Source, columns: list[str], no: str):
        self.source = start
        self.no = no  # as its first row shows it (its text is read only when every page is)
        self.rest_lost = False
        self.spans: dict[str, list[Span]] = {key: [] for key in columns}

    def add(self, page: int, spans: dict[str, Span]) -> None:
        self.source = self.source.to(page)
        for key, span in spans.items():
            if not any(span is known for known in self.spans.setdefault(key, [])):
                self.spans[key].append(span)

    def row(self) -> Row:
        texts = {key: cell_text([line for span in spans for line in span.lines]) for key, spans in self.spans.items()}
        raw, text = {k: v[0] for k, v in texts.items()}, {k: v[1] for k, v in texts.items()}
        return Row(self.source, raw, text, self.rest_lost)


@dataclass
class _Reading:
    """What reading the pages has found so far."""

    file: str
    columns: list[str] | None = None
    builders: list[_RowBuilder] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    open: dict[int, Span] = field(default_factory=dict)  # column -> the cell of the last row read there
    previous_no: Span | None = None
    page_start: bool = False  # the next row read is the page's first
    cut_before: bool = False  # the page before ended in a row cut by the page's end
    first_spans: dict[int, Span] = field(default_factory=dict)  # column -> the cell of the page's first row
    labels: list[str] | None = None  # the first header row's labels, as drawn
    under_header: dict[int, list[Char]] = field(default_factory=dict)  # column -> text drawn in this page's header


def read_rows(pages: list[Page], file: str) -> list[Row]:
    """Rows under the header row, continuation rows joined to the row they continue, merged
    cells applied to every row they span."""
    reading = _Reading(file)
    for page in pages:
        carried = dict(reading.open)
        reading.page_start, reading.first_spans, reading.under_header = True, {}, {}
        for table in page.tables:
            for cells in table:
                _read_table_row(reading, page.number, cells)
        if reading.columns is not None and page.tables:
            _take_outside(page, reading, carried)
        reading.cut_before = page.cut and bool(reading.builders)
    if reading.cut_before:
        reading.builders[-1].rest_lost = True
    if not reading.builders and not reading.problems:
        message = f"no table with the header row {HEADER_SUMMARY} on its {len(pages)} page(s)"
        raise NoRuledRows([Problem.at(file, 0, message, unit="page")])
    rows = [builder.row() for builder in reading.builders]
    return check_rows(rows, reading.problems, file, seen_header=True, unit="page")


def _read_table_row(reading: _Reading, page: int, cells: list[Cell]) -> None:
    own = [[] if cell.covered else cell_lines(cell) for cell in cells]
    labels = [cell_text(lines)[1] for lines in own]
    at = functools.partial(Problem, source.page(reading.file, page))
    if is_header_text(" ".join(labels)):
        _under_header(reading, cells, labels)
        reading.columns = header_columns(labels)
        message = header_problem(reading.columns, labels)
        if message:
            reading.problems.append(at(message))
            reading.columns = None
        return
    columns = reading.columns
    if columns is None or not (any(labels) or any(cell.covered for cell in cells)):
        return  # a table (or a row) before the list's header: not the list
    no = labels[columns.index("no")] if len(cells) == len(columns) else labels[0]
    named = f"No. {no}: " if no else ""
    if len(cells) != len(columns):
        reading.problems.append(at(f"{named}row has {len(cells)} cells, expected {len(columns)} (a rule missing?)"))
        return
    starts_page = reading.page_start
    spans = _spans(reading, page, cells, columns, at, named)
    if spans is None:
        return
    no_span = spans["no"]
    if no and starts_page and reading.cut_before and reading.builders:
        reading.builders[-1].rest_lost = True  # said by read/sequence.py, with the gap it leaves
    if no and no_span is not reading.previous_no:
        reading.builders.append(_RowBuilder(source.page(reading.file, page, round(cells[0].top)), columns, no))
    elif not reading.builders:
        reading.problems.append(at("text outside any row (no No. above it)"))
        return
    reading.previous_no = no_span
    reading.builders[-1].add(page, spans)


def _spans(reading: _Reading, page: int, cells: list[Cell], columns: list[str], at, named: str) -> dict | None:
    """The list's cell for each column of a table row: its own, or the merged cell covering it."""
    spans: list[Span] = []
    for j, cell in enumerate(cells):
        if cell.covered == "left" and spans:
            span = spans[-1]
        elif cell.covered:
            span = reading.open.get(j)
            if span is None:
                label = LABEL.get(columns[j], columns[j])
                message = f"{named}no cell under {label}: a rule missing, or a merged cell that starts nowhere"
                reading.problems.append(at(message))
                return None
        else:
            span = Span()
        if span.parts:
            span.covers += 1
        span.take(page, cell)
        spans.append(span)
    reading.open = dict(enumerate(spans))
    if reading.page_start:
        reading.first_spans, reading.page_start = dict(reading.open), False
    return dict(zip(columns, spans, strict=True))


def _take_outside(page: Page, reading: _Reading, carried: dict[int, Span]) -> None:
    """Text drawn outside the tables in a column, for a merged cell: below the last table, for the
    cell open at its bottom; above the first (or under the repeated header row), for a cell that
    came from the page before.  A cell at the top of the page with no text of its own there, and
    text drawn above it, is the merged cell of the page before run on."""
    above, below = _outside(page)
    for j, chars in reading.under_header.items():
        above.setdefault(j, []).extend(chars)
    for j, chars in below.items():
        span = reading.open.get(j)
        if span is not None and page.number in span.parts:
            span.outside.setdefault(page.number, []).extend(chars)
    for j, chars in above.items():
        span, first = carried.get(j), reading.first_spans.get(j)
        if span is None or first is None:
            continue
        if first is not span and first.parts.keys() == {page.number}:
            if not _empty(first.parts[page.number]):
                continue
            span.parts[page.number], first.same_as = first.parts[page.number], span
        if page.number in span.parts:
            span.covers += 1
            span.outside.setdefault(page.number, []).extend(chars)


def _under_header(reading: _Reading, cells: list[Cell], labels: list[str]) -> None:
    """A merged cell run on from the page before may be drawn under the repeated header row: what a
    header cell has beyond the first header's label is that text."""
    if reading.labels is None or len(cells) != len(reading.labels):
        reading.labels = labels
        return
    for j, (cell, label) in enumerate(zip(cells, reading.labels, strict=True)):
        if labels[j] != label:
            extra = _beyond(cell.chars, label)
            if extra:
                reading.under_header[j] = extra


def _beyond(chars: list[Char], label: str) -> list[Char]:
    """The characters of a cell but one run of them (in drawing order) that spells ``label``."""
    drawn = sorted((c for c in chars if not c.text.isspace()), key=lambda c: c.order)
    wanted = [char for char in label if not char.isspace()]
    for start in range(len(drawn) - len(wanted) + 1):
        if [c.text for c in drawn[start : start + len(wanted)]] == wanted:
            return drawn[:start] + drawn[start + len(wanted) :]
    return []


def _empty(cell: Cell) -> bool:
    return all(char.text.isspace() for char in cell.chars)


def _outside(page: Page) -> tuple[dict[int, list[Char]], dict[int, list[Char]]]:
    """The text drawn above the page's first table and below its last, by column."""
    first, last = page.tables[0], page.tables[-1]
    top, bottom = first[0][0].top, max(cell.bottom for cell in last[-1])
    sides = [(cell.x0, cell.x1) for cell in last[-1]]
    above = _column_chars([c for c in page.outside if c.bottom <= top], sides)
    return above, _column_chars([c for c in page.outside if c.top >= bottom], sides)


def _column_chars(chars: list[Char], sides: list[tuple[float, float]]) -> dict[int, list[Char]]:
    """The characters of lines that are not page furniture (``- N -``), by the column they are in."""
    found: dict[int, list[Char]] = {}
    for line in text_lines(chars):
        if FOOTER.match(line_text(line)):
            continue
        for char in line:
            j = next((j for j, (x0, x1) in enumerate(sides) if x0 <= char.centre <= x1), None)
            if j is not None:
                found.setdefault(j, []).append(char)
    return found
