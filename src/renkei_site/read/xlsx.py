"""The list as an Excel workbook (.xlsx), read with openpyxl in read-only mode.

The header row is looked for in the first rows of each sheet, in order; the first
sheet that has it holds the list.  The rows above it are the title block (title,
fiscal year, as-of date); the rows below it are the projects, one a row, until the
sheet ends (empty rows and repeated header rows skipped).  A merged cell applies
its text to every cell it spans: openpyxl's read-only worksheet does not expose the
merged ranges, so they are read from the sheet's own ``<mergeCells>`` element.
Lines inside a cell are joined by ``table.join_wrapped``, as wrapped lines are.
Problems read ``FILE:sheet NAME:row N: …``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from xml.etree import ElementTree

from .. import source
from ..errors import InputError, Problem
from .chars import control_problem, standard_chars
from .table import (
    FOOTER,
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

HEADER_SEARCH_ROWS = 30  # the header row is looked for in this many rows of each sheet
# Excel writes a character XML cannot hold as _xHHHH_ (_x000D_ for a carriage return); openpyxl
# leaves it so.  Read as Excel shows it: the character (and a control character is then refused).
ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
XL_PART = re.compile(rb"PK\x03\x04.{26}xl/", re.DOTALL)  # a zip entry (local header) named xl/…
Merges = dict[tuple[int, int], tuple[int, int]]  # (row, column) covered -> the range's top-left cell


def is_xlsx(data: bytes) -> bool:
    """An Office Open XML workbook: a zip archive with ``xl/workbook.xml`` (or, when the archive is
    cut short, its parts' names in the first entries: a damaged workbook is still a workbook)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    return "xl/workbook.xml" in _names(data) or XL_PART.search(data[:65536]) is not None


def _names(data: bytes) -> list[str]:
    try:
        return zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return []


def parse_xlsx(data: bytes, file: str) -> Table:
    """The table of a workbook, or an InputError naming sheet and row."""
    book = _open(data, file)
    try:
        found = _find_list(book)
    except Exception as error:  # a damaged workbook: openpyxl, zipfile and the XML parser raise many kinds
        raise InputError.at(file, 0, _damaged(error), "row") from None
    finally:
        book.close()
    if found is None:
        sheets = ", ".join(sheet.title for sheet in book.worksheets)
        raise InputError.at(
            file, 0, f"no sheet has the header row {HEADER_SUMMARY} in its first rows (sheets: {sheets})", "row"
        )
    values, header, merges, sheet = found
    return _read_sheet(values, header, merges, file, sheet)


def _find_list(book) -> tuple[list[tuple], int, Merges, str] | None:
    """The first sheet with the header row: its values, the header's index, its merged ranges, its name."""
    for sheet in book.worksheets:
        header = _header_row([tuple(row) for row in sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)])
        if header is not None:
            values = _values(sheet)
            width = max((len(row) for row in values), default=0)
            return values, header, _merges(book, sheet, len(values), width), sheet.title
    return None


def _damaged(error: Exception) -> str:
    detail = f"{type(error).__name__}: {error}".rstrip(": ")[:160]
    return f"damaged workbook, cannot be read ({detail}): save it again from Excel, or copy it again"


def _open(data: bytes, file: str):
    from openpyxl import load_workbook  # imported only when a workbook is read

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # one line, never a traceback
        raise InputError.at(file, 0, _damaged(error), "row") from None


def _values(sheet) -> list[tuple]:
    """Every row's values, row 1 first (rows the file leaves out are empty)."""
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _header_row(values: list[tuple]) -> int | None:
    """The index of the list's header row among the first rows, or None."""
    for index, row in enumerate(values[:HEADER_SEARCH_ROWS]):
        if is_header_text(" ".join(_text(value) for value in row)):
            return index
    return None


def _merges(book, sheet, height: int, width: int) -> Merges:
    """The sheet's merged ranges, from its XML: each covered cell -> the range's top-left cell (within
    the cells the sheet has: a range may be drawn over a whole column)."""
    from openpyxl.utils.cell import range_boundaries

    covered: Merges = {}
    with book._archive.open(sheet._worksheet_path) as xml:
        for _, element in ElementTree.iterparse(xml):
            if element.tag.endswith("}mergeCell") and element.get("ref"):
                left, top, right, bottom = range_boundaries(element.get("ref"))
                for row in range(top, min(bottom, height) + 1):
                    for column in range(left, min(right, width) + 1):
                        covered[(row, column)] = (top, left)
            elif element.tag.endswith("}row"):
                element.clear()  # the cells are read by openpyxl; keep memory flat
    return covered


def _text(value) -> str:
    """A cell's value as the list's text: numbers without a needless ``.0``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = ESCAPED.sub(lambda found: chr(int(found.group(1), 16)), str(value))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _cell(values: list[tuple], merges: Merges, row: int, column: int) -> str:
    """The text at a sheet row and column (1-based), a merged range's text wherever it spans."""
    row, column = merges.get((row, column), (row, column))
    cells = values[row - 1] if row <= len(values) else ()
    return _text(cells[column - 1]) if column <= len(cells) else ""


def _joined(raw: str) -> str:
    text = ""
    for line in raw.split("\n"):
        text = join_wrapped(text, line)
    return clean(text)


def _read_sheet(values: list[tuple], header: int, merges: Merges, file: str, sheet: str) -> Table:
    """The rows under the header row, each located by its sheet row."""
    labels = [_text(value) for value in values[header]]
    used = [index for index, label in enumerate(labels) if label.strip()]
    columns = header_columns([labels[index] for index in used])
    message = header_problem(columns, [labels[index] for index in used])
    if message or columns is None:
        raise InputError.of(source.sheet_row(file, sheet, header + 1), message or "unrecognised header")
    title, year, as_of = parse_title(list(_title_lines(values[:header], merges)))
    problems: list[Problem] = []
    rows = []
    for number in range(header + 2, len(values) + 1):
        where = source.sheet_row(file, sheet, number)
        cells = {
            key: standard_chars(_cell(values, merges, number, i + 1)) for key, i in zip(columns, used, strict=True)
        }
        joined = " ".join(cells.values())
        if not joined.strip() or is_header_text(joined) or (FOOTER.match(joined) and not cells["no"].strip()):
            continue  # an empty row, the header repeated, a page number typed in a cell
        stray = _stray(values[number - 1], used)
        if stray:
            problems.append(Problem(where, f"text outside the list's columns: {stray!r}"))
        problems += [Problem(where, found) for found in map(control_problem, cells.values()) if found]
        rows.append(Row(where, cells, {key: _joined(value) for key, value in cells.items()}))
    return Table(file, "xlsx", "xlsx", title, year, as_of, tuple(check_rows(rows, problems, file, True, "row")))


def _stray(row: tuple, used: list[int]) -> str:
    """Text in a column the header has no label for."""
    return " ".join(_text(value) for index, value in enumerate(row) if index not in used and _text(value).strip())


def _title_lines(rows: list[tuple], merges: Merges) -> Iterator[str]:
    """The title block, one line per row (its cells' lines in order)."""
    for number, row in enumerate(rows, start=1):
        texts = [
            _text(value)
            for column, value in enumerate(row, start=1)
            if merges.get((number, column), (number, column)) == (number, column)
        ]
        for text in texts:
            yield from (line for line in standard_chars(text).split("\n") if line.strip())
