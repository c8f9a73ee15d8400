"""projects.xlsx of one year: its projects, partners and counts per prefecture as Excel sheets
with Japanese headers, and a 「このファイルについて」 sheet with the source, as-of date and terms.

Every cell from the data is text (codes stay 011002, a cell starting with = stays text, not a
formula); the file's dates are the list's as-of date (docProps/core.xml and every zip entry),
so the same year gives the same bytes (site/exports/xlsx.py writes it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from ...model import Catalogue
from ...records import Year
from . import terms, xlsx
from .counts import PREFECTURE_COLUMNS, prefecture_counts
from .rows import partner_rows, project_rows

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


def sheet_of(name: str, columns: Iterable[tuple[str, str, int]], rows: Iterable[dict]) -> xlsx.Sheet:
    """A sheet of ``rows`` (dicts), a column per (header, key, width)."""
    columns = list(columns)
    keys = [key for _, key, _ in columns]
    return xlsx.Sheet(
        name, [(label, width) for label, _, width in columns], ([row.get(k, "") for k in keys] for row in rows)
    )


def partner_sheet_rows(cat: Catalogue, year: Year) -> Iterable[dict]:
    names = {p.no: p.name for p in year.projects}
    places = cat.reference.places
    for row in partner_rows(year):
        place = places.get(str(row["lg_code"])) if row["kind"] in ("prefecture", "municipality") else None
        yield {
            **row,
            "project": names[row["no"]],
            "role": ROLE_JA.get(str(row["role"]), row["role"]),
            "kind": KIND_JA.get(str(row["kind"]), row["kind"]),
            "full_name": cat.reference.full_name(place) if place else row["name"],
        }


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


def year_workbook(cat: Catalogue, year: Year | None) -> bytes:
    sheets = [
        sheet_of("このファイルについて", [("項目", "item", 18), ("内容", "text", 100)], about_rows(cat, year)),
        sheet_of("事業", PROJECT_SHEET, project_rows(cat, year)),
        sheet_of("関係自治体", PARTNER_SHEET, partner_sheet_rows(cat, year)),
        sheet_of("都道府県別", [(c.title, c.name, 12) for c in PREFECTURE_COLUMNS], prefecture_counts(cat, year)),
    ]
    when = datetime.datetime.fromisoformat(terms.as_of(year))
    return xlsx.bytes_of(sheets, f"{year.fiscal_year}年度 全国各地との連携事業", "renkei-site", when)
