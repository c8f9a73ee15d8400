"""Read a yearly list, whatever form it arrived in: the one registry of readers, and the entry
point that picks the reader by the file's bytes (never by its name).

A new form is one entry in ``READERS``: how to know it by its bytes, and a function that
reads it into a ``read.table.Table`` (rows with their ``Source``) or raises an InputError
naming file and place.  The first reader whose ``detect`` says yes reads the file; the text
reader, last, takes whatever is left.  ``renkei-site import --help`` lists them.  Whatever
the form, the No. column must then run 1, 2, 3, … (read/sequence.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:  # the readers are imported when a list is read: the registry itself costs nothing
    from .table import Table


@dataclass(frozen=True)
class Reader:
    """One form of the list."""

    form: str  # as the records and the import report name it
    what: str  # as the command's help describes it
    detect: Callable[[bytes], bool]  # this form, judged by its bytes alone
    read: Callable[[bytes, str], Table]  # (bytes, the file as problems name it) -> the table


def is_pdf(data: bytes) -> bool:
    """A PDF, whatever the file is called: ``%PDF-`` in its first kilobyte."""
    return b"%PDF-" in data[:1024]


def read_pdf(data: bytes, file: str) -> Table:
    from .pdf import parse_pdf  # pdfplumber is imported only when a PDF is read

    return parse_pdf(data, file)


def is_xlsx(data: bytes) -> bool:
    from .xlsx import is_xlsx  # zipfile only; openpyxl is imported when a workbook is read

    return is_xlsx(data)


def read_xlsx(data: bytes, file: str) -> Table:
    from .xlsx import parse_xlsx

    return parse_xlsx(data, file)


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: Excel 97–2003, or an encrypted .xlsx
ODS = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"


def is_other_spreadsheet(data: bytes) -> bool:
    return data.startswith(OLE2) or (data.startswith(b"PK\x03\x04") and ODS in data[:200])


def refuse_other_spreadsheet(data: bytes, file: str) -> Table:
    if data.startswith(OLE2):
        what = "an old binary Excel workbook (.xls, Excel 97–2003) or a password-protected one"
    else:
        what = "an OpenDocument spreadsheet (.ods)"
    raise InputError.at(file, 0, f"{what}: open it in Excel or LibreOffice and save it as .xlsx (no password)", "row")


def read_text(data: bytes, file: str) -> Table:
    from .text import read_text

    return read_text(data, file)


def any_bytes(data: bytes) -> bool:
    return True


READERS: tuple[Reader, ...] = (
    Reader("pdf", "the PDF as Tokyo publishes it", is_pdf, read_pdf),
    Reader("xlsx", "an Excel workbook (.xlsx; the first sheet with the header row)", is_xlsx, read_xlsx),
    Reader(
        "xls/ods", "(.xls and .ods are refused: save them as .xlsx)", is_other_spreadsheet, refuse_other_spreadsheet
    ),
    Reader("text", "text: tab-separated or `pdftotext -layout`, UTF-8 or Shift_JIS", any_bytes, read_text),
)


def reader_for(data: bytes) -> Reader:
    return next(reader for reader in READERS if reader.detect(data))


def parse_bytes(data: bytes, file: str, allow_gaps: bool = False) -> Table:
    """Parse one list in whichever form it arrived; its No. column must run 1, 2, 3, … (gaps only
    with ``allow_gaps``: the table then names them)."""
    from .sequence import read_sequence

    table = reader_for(data).read(data, file)
    sequence = read_sequence(table.rows)
    problems = [*sequence.problems, *(() if allow_gaps else sequence.gap_problems)]
    if problems:
        raise InputError(problems)
    return replace(table, gaps=sequence.gaps)
