"""What changed between two fiscal years: added, removed and changed projects."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Project, Year
from ..resolve.reference import Reference, name_key


@dataclass(frozen=True)
class Change:
    old: Project
    new: Project
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Diff:
    old_year: int
    new_year: int
    added: tuple[Project, ...]
    removed: tuple[Project, ...]
    changed: tuple[Change, ...]
    unchanged: int
    bureaus_renamed: tuple[tuple[str, tuple[str, ...]], ...] = ()  # old name, the names its projects moved to

    @property
    def renamed(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changed if "name" in c.details)


def match_projects(old: Year, new: Year, links: dict[str, str] | None = None) -> list[tuple[Project, Project]]:
    """Pairs (earlier, later) of the same project: by name, former name, or the hand-kept map.

    ``links`` is data/project_links.yaml folded: {later name: earlier name}.
    """
    links = links or {}
    by_name = {name_key(p.name): p for p in old.projects}
    pairs, used = [], set()
    for project in new.projects:
        keys = [name_key(project.name), *(name_key(n) for n in project.former_names)]
        keys.append(links.get(name_key(project.name), ""))
        match = next((by_name[k] for k in keys if k in by_name and by_name[k].key not in used), None)
        if match is not None:
            used.add(match.key)
            pairs.append((match, project))
    return pairs


def partners(project: Project, role: str, reference: Reference) -> dict[str, dict[str, str]]:
    """The governments, groups and bodies a project names in one role, by identity (code, or name),
    each as {name, code}: names as a reader knows them (神奈川県川崎市), codes for machines."""
    found: dict[str, dict[str, str]] = {}
    for m in project.mentions:
        if m.role != role or m.kind in ("none", "text"):
            continue
        place = reference.places.get(m.code) if m.is_place else None
        name = reference.full_name(place) if place is not None else (m.name or m.surface)
        found.setdefault(m.code if place is not None else f"{m.kind}:{name}", {"name": name, "code": m.code})
    return found


PARTNER_CHANGES = ("partners_added", "partners_removed", "partners_moved_to_past")
LABELS = {
    "name": "事業名",
    "bureau": "所管局",
    "field": "分野",
    "status": "新規継続",
    "description": "事業内容",
    "remarks": "備考",
    "partners_added": "関係自治体(現在)に追加",
    "partners_removed": "関係自治体(現在)から削除",
    "partners_moved_to_past": "関係自治体(現在)→(過去)",
}


def compare(old: Project, new: Project, reference: Reference) -> dict[str, object]:
    """What differs between two years of one project.  Text is compared without spaces and
    width: in the PDF a space is where a cell wrapped, not part of the wording."""
    details: dict[str, object] = {}
    for attr in ("name", "bureau", "field", "status", "description", "remarks"):
        before, after = getattr(old, attr), getattr(new, attr)
        if name_key(before) != name_key(after):
            details[attr] = {"from": before, "to": after}
    before, after = partners(old, "current", reference), partners(new, "current", reference)
    past = partners(new, "past", reference)
    gone = [key for key in before if key not in after]
    moved = [before[key] for key in gone if key in past]
    removed = [before[key] for key in gone if key not in past]
    added = [after[key] for key in after if key not in before]
    for key, items in zip(PARTNER_CHANGES, (added, removed, moved), strict=True):
        if items:
            details[key] = sorted(items, key=lambda item: (item["code"] or "~", item["name"]))
    return details


def bureau_renames(
    old: Year, new: Year, pairs: list[tuple[Project, Project]]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Bureaus of the earlier year missing from the later one, with the bureaus their projects moved to."""
    remaining = {name_key(p.bureau) for p in new.projects}
    gone = {p.bureau for p in old.projects if name_key(p.bureau) not in remaining}
    moved: dict[str, dict[str, None]] = {name: {} for name in sorted(gone)}
    for o, n in pairs:
        if o.bureau in moved:
            moved[o.bureau][n.bureau] = None
    return tuple((name, tuple(sorted(targets))) for name, targets in moved.items())


def diff_years(old: Year, new: Year, reference: Reference) -> Diff:
    pairs = match_projects(old, new, reference.project_links)
    matched_old = {o.key for o, _ in pairs}
    matched_new = {n.key for _, n in pairs}
    changes = [Change(o, n, compare(o, n, reference)) for o, n in pairs]
    return Diff(
        old.fiscal_year,
        new.fiscal_year,
        tuple(p for p in new.projects if p.key not in matched_new),
        tuple(p for p in old.projects if p.key not in matched_old),
        tuple(c for c in changes if c.details),
        sum(1 for c in changes if not c.details),
        bureau_renames(old, new, pairs),
    )


def diff_to_json(diff: Diff) -> dict:
    def brief(p: Project) -> dict:
        return {
            "fiscal_year": p.fiscal_year,
            "id": p.id,
            "no": p.no,
            "name": p.name,
            "bureau": p.bureau,
        }

    return {
        "from": diff.old_year,
        "to": diff.new_year,
        "added": [brief(p) for p in diff.added],
        "removed": [brief(p) for p in diff.removed],
        "changed": [{**brief(c.new), "previous": brief(c.old), "changes": c.details} for c in diff.changed],
        "renamed": [{**brief(c.new), "previous": brief(c.old)} for c in diff.renamed],
        "bureaus_renamed": [{"from": old, "to": list(new)} for old, new in diff.bureaus_renamed],
        "unchanged": diff.unchanged,
    }


def diff_lines(diff: Diff) -> list[str]:
    lines = [
        f"{diff.old_year} → {diff.new_year}: {len(diff.added)} added, {len(diff.removed)} removed, "
        f"{len(diff.changed)} changed, {diff.unchanged} unchanged"
    ]
    lines += [f"+ No.{p.no} {p.name} ({p.bureau}, {p.status})" for p in diff.added]
    lines += [f"- No.{p.no} {p.name} ({p.bureau})" for p in diff.removed]
    lines += [f"bureau {old} → {'、'.join(new) or '(no project carried over)'}" for old, new in diff.bureaus_renamed]
    for change in diff.changed:
        parts = [f"{LABELS[key]}: {change_text(value)}" for key, value in change.details.items()]
        lines.append(f"~ No.{change.new.no} {change.new.name}: " + "; ".join(parts))
    return lines


def change_text(value: object) -> str:
    """One change in words: 「A → B」 for text, 「和歌山県、三重県」 for partners."""
    if isinstance(value, dict):
        return f"{value['from']} → {value['to']}"
    return "、".join(item["name"] for item in value)  # type: ignore[attr-defined]
