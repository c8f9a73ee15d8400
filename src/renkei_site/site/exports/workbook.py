"""projects.xlsx of one year: its projects, partners and counts per prefecture as Excel sheets
with Japanese headers, and a 「このファイルについて」 sheet with the source, as-of date and terms.

Every cell from the data is text (codes stay 011002, a cell starting with = stays text, not a
formula); the file's dates are the list's as-of date (docProps/core.xml and every zip entry),
so the same year gives the same bytes (site/exports/xlsx.py writes it).

Made in two steps: the workbook without the 事業 sheet and that sheet's cells but the notes
(a *part*, parts.py: kept between builds), then the 事業 sheet with the notes added to it.  A
full build and a build after a note edit take the same two steps, so they give the same bytes;
after a note edit only the 事業 sheet is made again (0.1 s at 10,000 projects, not 3 s).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter

from ...model import Catalogue
from ...records import Year
from . import terms, xlsx
from .counts import PREFECTURE_COLUMNS, prefecture_counts
from .rows import notes_of

KIND_JA = {
    "prefecture": "都道府県",
    "municipality": "市区町村",
    "group": "グループ",
    "other": "その他の団体",
    "ambiguous": "特定できない地名",
    "unresolved": "未解決",
    "none": "なし",
    "text": "文言",
}
ROLE_JA = {"current": "現在", "past": "過去", "remarks": "備考"}
PROJECT_SHEET = (  # (header, key of projects.csv, width)
    ("年度", "fiscal_year", 6),
    ("No.", "no", 5),
    ("所管局", "bureau", 16),
    ("分野", "field", 10),
    ("新規継続", "status", 8),
    ("事業名", "name", 40),
    ("関係自治体(現在)", "partners_current", 40),
    ("関係自治体(過去)", "partners_past", 30),
    ("事業内容", "description", 60),
    ("備考", "remarks", 30),
    ("編集部の注記", "notes", 20),
)
PARTNER_SHEET = (
    ("年度", "fiscal_year", 6),
    ("No.", "no", 5),
    ("事業名", "project", 36),
    ("区分", "role", 6),
    ("種類", "kind", 12),
    ("名称", "full_name", 24),
    ("団体コード", "lg_code", 10),
    ("都道府県コード", "pref_code", 8),
    ("一覧での記載", "surface", 24),
    ("付記", "qualifier", 16),
    ("経由", "via", 12),
    ("表記の訂正", "correction", 12),
    ("候補の団体コード", "ambiguous", 16),
)


PROJECTS = 2  # the number of the 事業 sheet, the one with the notes: made last (year_workbook)
NOTE_LETTER = xlsx.column_letter(len(PROJECT_SHEET) - 1)  # its last column


@dataclass(frozen=True)
class WorkbookPart:
    """A year's workbook without its notes: kept between builds (parts.py)."""

    workbook: bytes  # every entry but the 事業 sheet (xlsx.bytes_of)
    project_cells: tuple[str, ...]  # each project's cells on the 事業 sheet but the note (xlsx.cells)


def sheet_of(name: str, columns: Iterable[tuple[str, str, int]], rows: Iterable[dict]) -> xlsx.Sheet:
    """A sheet of ``rows`` (dicts holding every key), a column per (header, key, width)."""
    columns = list(columns)
    cells = itemgetter(*(key for _, key, _ in columns))  # a tuple of the row's values, in C
    return xlsx.Sheet(name, [(label, width) for label, _, width in columns], map(cells, rows))


def partner_sheet_rows(cat: Catalogue, year: Year) -> Iterator[tuple]:
    """A row per mention, the columns of PARTNER_SHEET: partners.csv's (rows.partner_rows) in
    Japanese, with the project's name and the place's full name (tuples made straight from the
    mentions: a large year has a hundred thousand)."""
    places, full_name = cat.reference.places, cat.reference.full_name
    names: dict[str, str] = {}  # code -> full name
    for project in year.projects:
        for m in project.mentions:
            name = m.name
            if m.kind in ("prefecture", "municipality") and m.code in places:
                name = names.get(m.code) or names.setdefault(m.code, full_name(places[m.code]))
            ambiguous = " ".join(m.candidates) if m.kind == "ambiguous" else ""
            yield (year.fiscal_year, project.no, project.name, ROLE_JA.get(m.role, m.role), KIND_JA.get(m.kind, m.kind),
                   name, m.code, m.pref_code, m.surface, m.qualifier, m.via, m.correction, ambiguous)  # fmt: skip


def about_rows(cat: Catalogue, year: Year) -> list[dict]:
    lines = [
        ("タイトル", f"{year.fiscal_year}年度 全国各地との連携事業(東京都)"),
        ("元の一覧", year.title),
        ("時点", terms.as_of(year)),
        ("出典", terms.CREDIT),
        ("利用条件", terms.TERMS),
        ("ライセンス", f"{terms.LICENSE}({terms.LICENSE_TITLE}) {terms.LICENSE_URL}"),
        ("団体コード", terms.PLACES_CREDIT),
        ("シート「事業」", f"{len(year.projects)}事業、一覧の列のとおり(関係自治体は一覧の記載のまま)"),
        ("シート「関係自治体」", "一覧の関係自治体・備考に記載された団体を1行に1件、団体コード(6桁)付きで"),
        ("シート「都道府県別」", "都道府県ごとの事業数(名前が挙がる/グループを通じて/過去のみ/備考のみ)、該当なしは0"),
    ]
    return [{"item": item, "text": text} for item, text in lines]


def project_values(year: Year) -> Iterator[tuple]:
    """Each project's cells on the 事業 sheet but the note (the list's fields: rows.project_row)."""
    cells = [key for _, key, _ in PROJECT_SHEET[:-1]]
    for project in year.projects:
        yield tuple(getattr(project, key) for key in cells)


def year_sheets(cat: Catalogue, year: Year) -> list[xlsx.Sheet]:
    """The workbook's sheets, the 事業 sheet without rows (year_workbook adds them)."""
    return [
        sheet_of("このファイルについて", [("項目", "item", 18), ("内容", "text", 100)], about_rows(cat, year)),
        sheet_of("事業", PROJECT_SHEET, ()),
        xlsx.Sheet("関係自治体", [(label, width) for label, _, width in PARTNER_SHEET], partner_sheet_rows(cat, year)),
        sheet_of("都道府県別", [(c.title, c.name, 12) for c in PREFECTURE_COLUMNS], prefecture_counts(cat, year)),
    ]


def dates(year: Year) -> datetime.datetime:
    """The file's dates: the list's as-of date."""
    return datetime.datetime.fromisoformat(terms.as_of(year))


def workbook_without_notes(cat: Catalogue, year: Year) -> WorkbookPart:
    sheets = year_sheets(cat, year)
    title = f"{year.fiscal_year}年度 全国各地との連携事業"
    cells = tuple(xlsx.cells(xlsx.letters_of(sheets[PROJECTS - 1])[:-1], project_values(year)))
    return WorkbookPart(xlsx.bytes_of(sheets, title, "renkei-site", dates(year), later={PROJECTS}), cells)


def project_sheet_rows(sheet: xlsx.Sheet, cells: Iterable[str], notes: Iterable[str]) -> Iterator[str]:
    """The 事業 sheet's rows: the header, then each project's cells and its note."""
    yield xlsx.header_row(sheet)
    notes = xlsx.cells([NOTE_LETTER], ((note,) for note in notes))
    for number, (mine, note) in enumerate(zip(cells, notes, strict=True), 2):
        yield xlsx.row_xml(number, mine + note)


def year_workbook(cat: Catalogue, year: Year | None) -> bytes:
    """The workbook: the part without notes (kept between builds), the 事業 sheet added to it."""
    part = cat.parts.made(f"projects.xlsx/{year.fiscal_year}", lambda: workbook_without_notes(cat, year))
    notes = notes_of(cat, year.projects)
    sheet = sheet_of("事業", PROJECT_SHEET, ())
    rows = project_sheet_rows(sheet, part.project_cells, notes)
    return xlsx.with_sheet(part.workbook, PROJECTS, sheet, rows, dates(year))
