"""Counts per prefecture, field and bureau, per year and across years: the numbers a reader
would otherwise add up from the lists (every prefecture has its row, 0 where no project names it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ...model import Catalogue
from ...records import Year
from .columns import FISCAL_YEAR, PREF_CODE, Column, count, text

PREFECTURE_COLUMNS = (
    FISCAL_YEAR,
    PREF_CODE,
    text("prefecture", "都道府県"),
    count("named", "名前が挙がる事業", "projects naming the prefecture or a place in it among the current partners"),
    count("through_groups", "グループを通じて含まれる事業", "projects naming no place in it but a group it belongs to"),
    count("past", "過去の連携のみの事業", "projects naming it only among the past partners"),
    count("remarks", "備考でのみ言及する事業", "projects naming it only in 備考 (remarks), not as a partner"),
    count("current", "現在の連携事業", "named or through a group: partners now"),
    count("total", "いずれかの形で関わる事業", "named, through groups, past or remarks"),
)
FIELD_COLUMNS = (
    FISCAL_YEAR,
    text("field", "分野"),
    count("projects", "事業数"),
    count("new", "新規", "projects marked 新規 (new this year)"),
    count("continuing", "継続", "projects marked 継続 (continued)"),
)
BUREAU_COLUMNS = (
    FISCAL_YEAR,
    text("bureau", "所管局", "the bureau's name in that year"),
    text("bureau_slug", "所管局の識別子", "stable key of the bureau across renames (its page: /bureaus/<slug>/)"),
    count("projects", "事業数"),
)
YEAR_COLUMNS = (
    FISCAL_YEAR,
    Column("as_of", "date", "時点", "the list's as-of date"),
    count("projects", "事業数"),
    count("new", "新規"),
    count("continuing", "継続"),
    count(
        "prefectures_named", "名前が挙がる都道府県", "prefectures named (or a place in them) by at least one project"
    ),
    count("prefectures_current", "現在の連携がある都道府県", "prefectures named or included through a group"),
    count("municipalities_named", "名前が挙がる市区町村", "distinct municipalities among the current partners"),
    count("added", "前年度から追加", "projects not in the year before (empty for the first year)"),
    count("ended", "前年度で終了", "projects of the year before not in this one"),
    count("changed", "前年度から変更"),
)
HOW_COLUMN = {"named": "named", "group": "through_groups", "past": "past", "remarks": "remarks"}


def prefecture_counts(cat: Catalogue, year: Year) -> list[dict[str, object]]:
    """One row per prefecture, in code order, with the projects of the year by how they involve it."""
    how_counts = cat.how_counts(year)
    none = dict.fromkeys([*HOW_COLUMN, "current", "total"], 0)
    rows = []
    for place in cat.reference.prefectures:
        counted = how_counts.get(place.pref_code, none)
        row: dict[str, object] = {
            "fiscal_year": year.fiscal_year,
            "pref_code": place.pref_code,
            "prefecture": place.name,
        }
        row.update({column: counted[how] for how, column in HOW_COLUMN.items()})
        row["current"] = counted["current"]
        row["total"] = counted["total"]
        rows.append(row)
    return rows


def field_counts(cat: Catalogue, year: Year) -> list[dict[str, object]]:
    """One row per field of data/fields.yaml (0 where none), then any other field the year uses."""
    counted = Counter((cat.reference.canonical_field(p.field), p.status) for p in year.projects)
    names = list(dict.fromkeys([*cat.reference.fields, *(field for field, _ in counted)]))
    return [
        {
            "fiscal_year": year.fiscal_year,
            "field": name,
            "projects": counted[name, "新規"] + counted[name, "継続"],
            "new": counted[name, "新規"],
            "continuing": counted[name, "継続"],
        }
        for name in names
    ]


def bureau_counts(cat: Catalogue, year: Year) -> list[dict[str, object]]:
    """One row per bureau with projects in the year, in data/bureaus.yaml's order."""
    ref = cat.reference
    counted = Counter(ref.canonical_bureau(p.bureau) for p in year.projects)
    order = {b["slug"]: i for i, b in enumerate(ref.bureaus)}
    names = sorted(counted, key=lambda name: (order.get(ref.bureau_slug(name), len(order)), name))
    return [
        {"fiscal_year": year.fiscal_year, "bureau": n, "bureau_slug": ref.bureau_slug(n), "projects": counted[n]}
        for n in names
    ]


def year_counts(cat: Catalogue, year: Year) -> dict[str, object]:
    """The year in a row: projects, prefectures and municipalities involved, changes."""
    by_prefecture = cat.by_prefecture(year)
    statuses = Counter(p.status for p in year.projects)
    current = {m.code for p in year.projects for m in p.mentions if m.role == "current" and m.kind == "municipality"}
    diff = cat.diffs.get(year.fiscal_year)
    return {
        "fiscal_year": year.fiscal_year,
        "as_of": year.as_of or "",
        "projects": len(year.projects),
        "new": statuses["新規"],
        "continuing": statuses["継続"],
        "prefectures_named": sum(1 for invs in by_prefecture.values() if any(i.how == "named" for i in invs)),
        "prefectures_current": sum(1 for invs in by_prefecture.values() if any(i.current for i in invs)),
        "municipalities_named": len(current),
        "added": len(diff.added) if diff else "",
        "ended": len(diff.removed) if diff else "",
        "changed": len(diff.changed) if diff else "",
    }


def every_year(cat: Catalogue, rows_of) -> Iterable[dict[str, object]]:
    """``rows_of(cat, year)`` for every year, oldest first."""
    for year in cat.years:
        yield from rows_of(cat, year)
