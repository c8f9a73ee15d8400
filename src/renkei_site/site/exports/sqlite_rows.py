"""The rows of catalogue.sqlite's tables, table by table, in a fixed order (site/exports/sqlite.py
writes them).  No row reads a note: the projects' ``notes`` are put in afterwards."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Catalogue
from ...records import Project
from .changes import change_rows


def null(value: str) -> str | None:
    """ "" as NULL: a foreign key that points nowhere is NULL, not an empty string."""
    return value or None


def year_rows(cat: Catalogue) -> Iterator[tuple]:
    for year in cat.years:
        source = year.source
        yield (year.fiscal_year, year.as_of, year.title, source.get("file", ""), source.get("sha256", ""),
               len(year.projects))  # fmt: skip


def place_rows(cat: Catalogue) -> Iterator[tuple]:
    ref = cat.reference
    for code in sorted(ref.places):
        p = ref.places[code]
        prefecture = ref.prefecture_by_code[p.pref_code].code
        yield (p.code, p.pref_code, prefecture, p.kind, p.name, ref.full_name(p), p.gun, null(p.parent_code),
               p.kana, p.romaji, int(p.designated), p.lat, p.lon)  # fmt: skip


def group_rows(cat: Catalogue) -> Iterator[tuple]:
    for label in sorted(cat.reference.groups):
        group = cat.reference.groups[label]
        yield (group.label, group.slug, group.description)


def member_rows(cat: Catalogue) -> Iterator[tuple]:
    for label in sorted(cat.reference.groups):
        for code in sorted(set(cat.reference.groups[label].members)):
            yield (label, code)


def project_row(cat: Catalogue, number: int, p: Project) -> tuple:
    """A project's row, its ``notes`` empty (sqlite.with_notes puts them in)."""
    previous = cat.predecessor.get(p.key)
    slug = cat.reference.bureau_slug(p.bureau) if cat.reference.bureau_entry(p.bureau) else ""
    return (number, p.key, p.fiscal_year, p.no, p.bureau, slug, p.field, p.status, p.name, p.kana, p.romaji,
            p.partners_current, p.partners_past, p.description, p.remarks, "",
            previous.key if previous else None, str(p.source))  # fmt: skip


def project_rows(cat: Catalogue) -> Iterator[tuple]:
    for number, project in enumerate(cat.all_projects, 1):
        yield project_row(cat, number, project)


def mention_rows(cat: Catalogue) -> Iterator[tuple]:
    places, groups = cat.reference.places, cat.reference.groups
    number = 0
    for project in cat.all_projects:
        key = project.key
        for position, m in enumerate(project.mentions, 1):
            number += 1
            code = m.code if m.code in places else None
            group = m.name if m.kind == "group" and m.name in groups else None
            yield (number, key, position, m.role, m.column, m.kind, m.surface, m.name, code, m.pref_code,
                   group, m.qualifier, m.via, m.correction, " ".join(m.candidates))  # fmt: skip


def involvement_rows(cat: Catalogue) -> Iterator[tuple]:
    codes = {pref: place.code for pref, place in cat.reference.prefecture_by_code.items()}
    details: dict[tuple[str, ...], str] = {}  # the ~46 prefectures of a group share one detail
    for project in cat.all_projects:
        key, fiscal_year = project.key, project.fiscal_year
        involvement = cat.involvement(project)
        for pref in sorted(code for code in involvement if code in codes):
            inv = involvement[pref]
            detail = details.get(inv.detail)
            if detail is None:
                detail = details[inv.detail] = "、".join(inv.detail)
            yield (key, fiscal_year, codes[pref], inv.how, int(inv.current), detail)


def change_table_rows(cat: Catalogue) -> Iterator[tuple]:
    keys = {(p.fiscal_year, p.id) for p in cat.all_projects}
    number = 0
    for fiscal_year in sorted(cat.diffs):
        diff = cat.diffs[fiscal_year]
        for row in change_rows(diff):
            number += 1
            new = (diff.new_year, row.get("id", ""))
            old = (diff.old_year, row.get("previous_id", ""))
            yield (number, diff.new_year, diff.old_year, row["change"],
                   f"{new[0]}/{new[1]}" if new in keys else None, f"{old[0]}/{old[1]}" if old in keys else None,
                   row.get("name", ""), row.get("item", ""), row.get("item_label", ""), row.get("before", ""),
                   row.get("after", ""), row.get("partner", ""), null(str(row.get("partner_code", ""))))  # fmt: skip


ROWS = {  # table -> its rows, in the order they are written
    "years": year_rows,
    "places": place_rows,
    "groups": group_rows,
    "group_members": member_rows,
    "projects": project_rows,
    "mentions": mention_rows,
    "involvement": involvement_rows,
    "changes": change_table_rows,
}
