"""A minimal Office Open XML workbook writer: sheets of text and whole numbers, a bold header
row frozen at the top, column widths, and the document's dates given by the caller.

Why not openpyxl (used to read lists): it spends about a millisecond per row of 13 cells
here, so the partner sheet of a 10,000-project year (about 100,000 rows) would take minutes
of a build that takes seconds; this writes the same SpreadsheetML rows as strings, streamed
into the zip, about twenty times as fast.  Everything written is fixed by the input (no clock,
entries in a fixed order, every entry dated ``when``), so the same data gives the same bytes.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from markupsafe import escape

ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
BOLD, TEXT = 1, 2  # the cell styles of styles.xml below


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


def xml_text(value: str) -> str:
    return str(escape(ILLEGAL.sub("\ufffd", value)))


def cell(ref: str, value: object, style: int = TEXT) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = xml_text(str(value))  # text is text: a leading = makes no formula, 011002 keeps its 0
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def sheet_rows(sheet: Sheet) -> Iterable[str]:
    letters = [column_letter(i) for i in range(len(sheet.columns))]
    header = "".join(cell(f"{c}1", label, BOLD) for c, (label, _) in zip(letters, sheet.columns, strict=True))
    yield f'<row r="1">{header}</row>'
    for number, values in enumerate(sheet.rows, 2):
        cells = "".join(cell(f"{c}{number}", v) for c, v in zip(letters, values, strict=True))
        yield f'<row r="{number}">{cells}</row>'


def write_sheet(out: IO[bytes], sheet: Sheet) -> None:
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>' for i, (_, width) in enumerate(sheet.columns, 1)
    )
    pane = '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    out.write(
        f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetViews><sheetView workbookViewId="0">{pane}'
        f"</sheetView></sheetViews><cols>{widths}</cols><sheetData>".encode()
    )
    batch: list[str] = []
    for row in sheet_rows(sheet):
        batch.append(row)
        if len(batch) == 1000:
            out.write("".join(batch).encode("utf-8"))
            batch.clear()
    out.write(("".join(batch) + "</sheetData></worksheet>").encode("utf-8"))


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


def bytes_of(sheets: Sequence[Sheet], title: str, creator: str, when: datetime.datetime) -> bytes:
    """The workbook's bytes: every part in a fixed order, each dated ``when``."""
    buffer = io.BytesIO()

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(entry("[Content_Types].xml"), content_types(len(sheets)))
        archive.writestr(entry("_rels/.rels"), ROOT_RELS)
        archive.writestr(entry("docProps/app.xml"), APP)
        archive.writestr(entry("docProps/core.xml"), core_xml(title, creator, when))
        archive.writestr(entry("xl/workbook.xml"), workbook_xml(sheets))
        archive.writestr(entry("xl/_rels/workbook.xml.rels"), workbook_rels(len(sheets)))
        archive.writestr(entry("xl/styles.xml"), STYLES)
        for number, sheet in enumerate(sheets, 1):
            with archive.open(entry(f"xl/worksheets/sheet{number}.xml"), "w") as out:
                write_sheet(out, sheet)
    return buffer.getvalue()
