"""Read a yearly list, whatever form it arrived in: the one registry of readers, and the entry
point that picks the reader by the file's bytes (never by its name).

A new form is one entry in ``READERS``: how to know it by its bytes, and a function that
reads it into a ``read.table.Table`` (rows with their ``Source``) or raises an InputError
naming file and place.  The first reader whose ``detect`` says yes reads the file; the text
reader, last, takes whatever is left.  ``renkei-site import --help`` lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the readers are imported when a list is read: the registry itself costs nothing
    from .table import Table


@dataclass(frozen=True)
class Reader:
    """One form of the list."""

    form: str  # as the records and the import report name it
    what: str  # as the command's help describes it
    detect: Callable[[bytes], bool]  # this form, judged by the first bytes alone
    read: Callable[[bytes, str], Table]  # (bytes, the file as problems name it) -> the table


def is_pdf(data: bytes) -> bool:
    """A PDF, whatever the file is called: ``%PDF-`` in its first kilobyte."""
    return b"%PDF-" in data[:1024]


def read_pdf(data: bytes, file: str) -> Table:
    from .pdf import parse_pdf  # pdfplumber is imported only when a PDF is read

    return parse_pdf(data, file)


def read_text(data: bytes, file: str) -> Table:
    from .text import read_text

    return read_text(data, file)


def any_bytes(data: bytes) -> bool:
    return True


READERS: tuple[Reader, ...] = (
    Reader("pdf", "the PDF as Tokyo publishes it", is_pdf, read_pdf),
    Reader("text", "text: tab-separated or `pdftotext -layout`, UTF-8 or Shift_JIS", any_bytes, read_text),
)


def reader_for(data: bytes) -> Reader:
    return next(reader for reader in READERS if reader.detect(data))


def parse_bytes(data: bytes, file: str) -> Table:
    """Parse one list in whichever form it arrived."""
    return reader_for(data).read(data, file)
