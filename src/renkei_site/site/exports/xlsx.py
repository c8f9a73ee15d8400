"""A minimal Office Open XML workbook writer: sheets of text and whole numbers, a bold header
row frozen at the top, column widths, and the document's dates given by the caller.

Why not openpyxl (used to read lists): it spends about a millisecond per row of 13 cells
here, so the partner sheet of a 10,000-project year (about 100,000 rows) would take minutes
of a build that takes seconds; this writes the same SpreadsheetML rows as strings, streamed
into the zip.  Everything written is fixed by the input (no clock, entries in a fixed order,
every entry dated ``when``), so the same data gives the same bytes.

What a 10,000-project year costs (1.4 million cells, 83 MB of XML): a cell is one f-string
(the text escaped by ``str.replace``, five scans that find nothing in most cells; characters
XML does not allow are replaced once per thousand rows, not per cell), and the entries are
deflated at level 1 — a third of the time of zlib's default 6 for a file a fifth larger
(8.8 MB, not 7.2).  A sheet can be left out of ``bytes_of`` and added later by ``with_sheet``
(a zip is appended to without reading its entries again): workbook.py keeps the workbook
without its notes between builds so.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
BOLD, TEXT = 1, 2  # the cell styles of styles.xml below
CONTROLS = bytes(c for c in range(32) if c not in (9, 10, 13))  # the C0 controls XML 1.0 does not allow
SEPARATOR = "\x00"  # between the values of a batch (cells): a value holding one is made legal first
BATCH = 1000  # rows escaped, then compressed, at once
LEVEL = 1  # zlib's compression level (the module's docstring says why)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: Sequence[tuple[str, int]]  # (header, width in characters)
    rows: Iterable[Sequence[object]]  # str or int cells ("" or None: an empty cell)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escaped(value: str) -> str:
    """``value`` escaped for XML text or an attribute, as markupsafe escapes it."""
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def legal(xml: str) -> str:
    """``xml`` with each character XML 1.0 does not allow replaced by U+FFFD (only text can hold one)."""
    return ILLEGAL.sub("\ufffd", xml)


def legal_bytes(xml: str) -> bytes:
    """``legal(xml)`` in UTF-8: the controls looked for in the bytes, U+FFFE and U+FFFF in the
    text (C scans that are fast where none is; the text's, not the bytes', for those two: most
    CJK punctuation starts with the same byte as they do)."""
    data = xml.encode("utf-8")
    if len(data.translate(None, CONTROLS)) == len(data) and "\ufffe" not in xml and "\uffff" not in xml:
        return data
    return legal(xml).encode("utf-8")


def xml_text(value: str) -> str:
    return legal(escaped(value))


def cells(
    letters: Sequence[str], rows: Iterable[Sequence[object]], first: int = 2, style: int = TEXT, whole: bool = False
) -> Iterator[str]:
    """The cells of each row (numbered from ``first``) in the columns ``letters``, as XML (not
    yet made legal: ``legal_bytes``), with ``whole`` in its row element (``row_xml``): a batch
    of rows escaped at once, their values joined; each row written by the template of its shape
    (which cells are empty, which are numbers).  Text is text: a leading = makes no formula,
    011002 keeps its 0."""
    templates: dict[tuple, str] = {}
    rows, width, number = iter(rows), len(letters), first
    while batch := list(itertools.islice(rows, BATCH)):
        texts = escaped_values(batch, width)
        for row, start in zip(batch, range(0, len(texts), width), strict=True):
            values = texts[start : start + width]
            shape = (*map(type, row), *map(bool, values))
            template = templates.get(shape)
            if template is None:  # "" for a row of empty cells
                template = template_of(letters, (shape[:width], shape[width:]), style)
                template = templates[shape] = row_xml("{0}", template) if whole else template
            yield template.format(number, *values)
            number += 1


def escaped_values(batch: list[Sequence[object]], width: int) -> list[str]:
    """Every value of ``batch`` (rows of ``width`` values) as escaped text, in one list."""
    if set(map(len, batch)) != {width}:
        raise ValueError(f"a row has not {width} cells")
    texts = escaped(SEPARATOR.join(map(str, itertools.chain.from_iterable(batch)))).split(SEPARATOR)
    if len(texts) == width * len(batch):
        return texts
    return [escaped(legal(str(value))) for row in batch for value in row]  # a value holds a NUL


def template_of(letters: Sequence[str], shape: tuple[tuple[type, ...], tuple[bool, ...]], style: int) -> str:
    """A row's cells as a str.format template: {0} the row's number, {i} the i-th value."""
    parts = []
    for i, (letter, kind, filled) in enumerate(zip(letters, *shape, strict=True), 1):
        if kind is type(None) or not filled:
            continue
        if issubclass(kind, int) and kind is not bool:
            parts.append(f'<c r="{letter}{{0}}"><v>{{{i}}}</v></c>')
        else:
            parts.append(
                f'<c r="{letter}{{0}}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{{{i}}}</t></is></c>'
            )
    return "".join(parts)


def row_xml(number: int | str, cells: str) -> str:
    return f'<row r="{number}">{cells}</row>'


def letters_of(sheet: Sheet) -> list[str]:
    return [column_letter(i) for i in range(len(sheet.columns))]


def header_row(sheet: Sheet) -> str:
    return row_xml(1, next(cells(letters_of(sheet), [[label for label, _ in sheet.columns]], 1, BOLD)))


def sheet_rows(sheet: Sheet) -> Iterator[str]:
    """The sheet's rows as XML: the header, then a row per row of ``sheet.rows``."""
    yield header_row(sheet)
    yield from cells(letters_of(sheet), sheet.rows, whole=True)


def worksheet(sheet: Sheet, rows: Iterable[str]) -> Iterator[bytes]:
    """The worksheet's XML holding ``rows`` (row_xml), made legal a batch of rows at a time."""
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>' for i, (_, width) in enumerate(sheet.columns, 1)
    )
    pane = '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    yield (
        f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetViews><sheetView workbookViewId="0">{pane}'
        f"</sheetView></sheetViews><cols>{widths}</cols><sheetData>".encode()
    )
    rows = iter(rows)
    while batch := list(itertools.islice(rows, BATCH)):
        yield legal_bytes("".join(batch))
    yield b"</sheetData></worksheet>"


def content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    return (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheets}"
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>"
    )


ROOT_RELS = (
    f'{HEAD}<Relationships xmlns="{PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
STYLES = (
    f'{HEAD}<styleSheet xmlns="{MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
APP = (
    f"{HEAD}<Properties "
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>renkei-site</Application></Properties>"
)


def workbook_xml(sheets: Sequence[Sheet]) -> str:
    entries = "".join(
        f'<sheet name="{xml_text(s.name)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, 1)
    )
    return f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{entries}</sheets></workbook>'


def workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    styles = f'<Relationship Id="rId{count + 1}" Type="{REL}/styles" Target="styles.xml"/>'
    return f'{HEAD}<Relationships xmlns="{PACKAGE_REL}">{sheets}{styles}</Relationships>'


def core_xml(title: str, creator: str, when: datetime.datetime) -> str:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(title)}</dc:title><dc:creator>{xml_text(creator)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def entry(name: str, when: datetime.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = LEVEL  # what ZipFile.open(info, "w") deflates at (compress_level from Python 3.13)
    return info


def write_sheet(archive: zipfile.ZipFile, number: int, sheet: Sheet, rows: Iterable[str], when) -> None:
    with archive.open(entry(f"xl/worksheets/sheet{number}.xml", when), "w") as out:
        for piece in worksheet(sheet, rows):
            out.write(piece)


def bytes_of(
    sheets: Sequence[Sheet], title: str, creator: str, when: datetime.datetime, later: Collection[int] = ()
) -> bytes:
    """The workbook's bytes: every part in a fixed order, each dated ``when``; the sheets numbered
    in ``later`` (from 1) are left out, for ``with_sheet`` to add."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (
            ("[Content_Types].xml", content_types(len(sheets))),
            ("_rels/.rels", ROOT_RELS),
            ("docProps/app.xml", APP),
            ("docProps/core.xml", core_xml(title, creator, when)),
            ("xl/workbook.xml", workbook_xml(sheets)),
            ("xl/_rels/workbook.xml.rels", workbook_rels(len(sheets))),
            ("xl/styles.xml", STYLES),
        ):
            archive.writestr(entry(name, when), text)
        for number, sheet in enumerate(sheets, 1):
            if number not in later:
                write_sheet(archive, number, sheet, sheet_rows(sheet), when)
    return buffer.getvalue()


def with_sheet(workbook: bytes, number: int, sheet: Sheet, rows: Iterable[str], when: datetime.datetime) -> bytes:
    """``workbook`` (bytes_of, the sheet left out) with sheet ``number`` holding ``rows`` (row_xml,
    the header's too) added: its entry goes after the others (a reader finds it by the zip's
    directory, rewritten after it)."""
    buffer = io.BytesIO(workbook)
    with zipfile.ZipFile(buffer, "a") as archive:
        write_sheet(archive, number, sheet, rows, when)
    return buffer.getvalue()
