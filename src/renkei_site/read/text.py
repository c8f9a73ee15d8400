"""The list as text: the tab-separated dump or the fixed-width text `pdftotext -layout` prints,
in UTF-8 (with or without BOM) or Shift_JIS (cp932), LF, CRLF or CR — all detected.

The readers keep every cell: ``Row.raw`` holds the verbatim text (wrapped lines
joined with a newline), ``Row.text`` the cleaned value.  Anything they cannot
place is an error naming file and line, never a silently dropped line.
"""

from __future__ import annotations

from ..errors import InputError, Problem
from ..source import Source
from .chars import CONTROL, control_problem, standard_chars
from .layout import parse_layout
from .table import (
    FOOTER,
    MAX_ERRORS_PER_FILE,
    Row,
    Table,
    check_rows,
    clean,
    header_columns,
    header_problem,
    is_header_text,
    parse_title,
)


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Return (text, encoding): UTF-8 (BOM or not) or Shift_JIS/cp932, detected."""
    if not data.strip():
        raise InputError.at(file, 1, "empty file: no title, header or rows")
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_strict(data[3:], "utf-8", file), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp932"), "cp932"
        except UnicodeDecodeError as sjis_error:
            error = max(utf8_error, sjis_error, key=lambda e: e.start)
            raise _undecodable(data, error, file) from None


def _decode_strict(data: bytes, encoding: str, file: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _undecodable(data, error, file) from None


def _undecodable(data: bytes, error: UnicodeDecodeError, file: str) -> InputError:
    line = data.count(b"\n", 0, error.start) + 1
    bad = data[error.start : error.start + 4]
    return InputError.at(file, line, f"undecodable bytes {bad!r}: the file is neither UTF-8 nor Shift_JIS (cp932)")


def split_lines(text: str) -> list[str]:
    """Lines without their ends; LF, CRLF and CR all end a line."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_text(data: bytes, file: str) -> Table:
    """The table of a text list: decoded, then read as tab-separated when its header line has
    tabs, else as fixed-width columns."""
    text, encoding = decode(data, file)
    lines = split_lines(standard_chars(text.removeprefix("\ufeff")))
    refuse_controls(lines, file)
    title, year, as_of = parse_title(lines)
    if any("\t" in line and is_header_text(line) for line in lines):
        form, rows = "tsv", parse_tsv(lines, file)
    else:
        form, rows = "layout", parse_layout(lines, file)
    return Table(file, encoding, form, title, year, as_of, tuple(rows))


def refuse_controls(lines: list[str], file: str) -> None:
    """Every line with a control character (but tab and form feed) is a problem."""
    if CONTROL.search("".join(lines)):
        problems = [
            Problem.at(file, n, control_problem(line)) for n, line in enumerate(lines, 1) if CONTROL.search(line)
        ]
        raise InputError(problems[:MAX_ERRORS_PER_FILE])


def parse_tsv(lines: list[str], file: str) -> list[Row]:
    """Rows of the tab-separated dump: one row a line, header repeated per page."""
    problems: list[Problem] = []
    rows: list[Row] = []
    columns: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or FOOTER.match(line.replace("\f", "")):
            continue
        cells = line.replace("\f", "").split("\t")
        if is_header_text(line):
            columns = header_columns(cells)
            message = header_problem(columns, cells)
            if message:
                problems.append(Problem.at(file, number, message))
                columns = None
            continue
        if columns is None:
            if "\t" in line:
                problems.append(Problem.at(file, number, "data before the header line"))
            continue  # the title and other text above the table
        if len(cells) != len(columns):
            problems.append(Problem.at(file, number, f"row has {len(cells)} cells, expected {len(columns)}"))
            continue
        raw = dict(zip(columns, cells, strict=True))
        rows.append(Row(Source(file, number), raw, {k: clean(v) for k, v in raw.items()}))
    return check_rows(rows, problems, file, seen_header=columns is not None)
