"""changes.csv: what changed from the year before, one row per change (the changes page as a table)."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Catalogue
from ...records import Project, Year
from ...years.diff import LABELS, PARTNER_CHANGES, Diff
from .columns import FISCAL_YEAR, Column, count, text

CHANGE_COLUMNS = (
    FISCAL_YEAR,
    count("previous_year", "前年度"),
    text("change", "変更の種類", "added, ended, changed or bureau_renamed"),
    text("id", "事業ID", "the project's id in this year (its page: /<fiscal_year>/projects/<id>/)"),
    Column("no", "integer", "No.", "the project's number in this year's list"),
    text("name", "事業名"),
    text("previous_id", "前年度の事業ID"),
    Column("previous_no", "integer", "前年度のNo."),
    text("item", "変更箇所", "name, bureau, field, status, description, remarks, " + ", ".join(PARTNER_CHANGES)),
    text("item_label", "変更箇所(日本語)"),
    text("before", "変更前"),
    text("after", "変更後"),
    text("partner", "関係自治体等", "the partner added, removed or moved to the past partners"),
    text("partner_code", "団体コード", "its 6-digit code, kept as text (empty for groups and other bodies)"),
)


def project_cells(project: Project | None, prefix: str = "") -> dict[str, object]:
    if project is None:
        return {}
    cells: dict[str, object] = {f"{prefix}id": project.id, f"{prefix}no": project.no}
    if not prefix:
        cells["name"] = project.name
    return cells


def change_rows(diff: Diff) -> Iterator[dict[str, object]]:
    base = {"fiscal_year": diff.new_year, "previous_year": diff.old_year}
    for project in diff.added:
        yield {**base, "change": "added", **project_cells(project)}
    for project in diff.removed:
        yield {**base, "change": "ended", "name": project.name, **project_cells(project, "previous_")}
    for old, new in diff.bureaus_renamed:
        renamed = {"item": "bureau", "item_label": LABELS["bureau"], "before": old, "after": "、".join(new)}
        yield {**base, "change": "bureau_renamed", **renamed}
    for change in diff.changed:
        head = {**base, "change": "changed", **project_cells(change.new), **project_cells(change.old, "previous_")}
        for item, value in change.details.items():
            cells = {**head, "item": item, "item_label": LABELS[item]}
            if isinstance(value, dict):
                yield {**cells, "before": value["from"], "after": value["to"]}
            else:
                for partner in value:
                    yield {**cells, "partner": partner["name"], "partner_code": partner["code"]}


def year_change_rows(cat: Catalogue, year: Year) -> list[dict[str, object]]:
    """The year's changes (none for the first year: the file has its header only)."""
    diff = cat.diffs.get(year.fiscal_year)
    return list(change_rows(diff)) if diff else []
