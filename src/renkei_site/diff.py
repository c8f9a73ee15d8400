"""What changed between two fiscal years: added, removed and changed projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import yamlio
from .records import Project, Year
from .reference import fold_key


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


def name_key(name: str) -> str:
    return fold_key(name, {})


def load_links(data_dir: Path | None) -> dict[str, str]:
    """data/project_links.yaml: {later name: earlier name} for projects the names don't link."""
    path = data_dir / "project_links.yaml" if data_dir else None
    if not path or not path.exists():
        return {}
    return {name_key(k): name_key(v) for k, v in (yamlio.load(path) or {}).items()}


def match_projects(old: Year, new: Year, links: dict[str, str] | None = None) -> list[tuple[Project, Project]]:
    """Pairs (earlier, later) of the same project: by name, former name, or the hand-kept map."""
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


def partner_keys(project: Project, role: str) -> set[str]:
    return {m.code or m.name for m in project.mentions if m.role == role and m.kind not in ("none",)}


def compare(old: Project, new: Project) -> dict[str, object]:
    details: dict[str, object] = {}
    for attr in ("name", "bureau", "field", "status", "description"):
        if getattr(old, attr) != getattr(new, attr):
            details[attr] = {"from": getattr(old, attr), "to": getattr(new, attr)}
    before, after = partner_keys(old, "current"), partner_keys(new, "current")
    past = partner_keys(new, "past")
    if before - after:
        moved = sorted((before - after) & past)
        gone = sorted(before - after - past)
        if moved:
            details["partners_moved_to_past"] = moved
        if gone:
            details["partners_removed"] = gone
    if after - before:
        details["partners_added"] = sorted(after - before)
    return details


def diff_years(old: Year, new: Year, reference=None, links: dict[str, str] | None = None) -> Diff:
    pairs = match_projects(old, new, links)
    matched_old = {o.key for o, _ in pairs}
    matched_new = {n.key for _, n in pairs}
    changes = [Change(o, n, compare(o, n)) for o, n in pairs]
    return Diff(
        old.fiscal_year,
        new.fiscal_year,
        tuple(p for p in new.projects if p.key not in matched_new),
        tuple(p for p in old.projects if p.key not in matched_old),
        tuple(c for c in changes if c.details),
        sum(1 for c in changes if not c.details),
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
        "unchanged": diff.unchanged,
    }


def diff_lines(diff: Diff) -> list[str]:
    lines = [
        f"{diff.old_year} → {diff.new_year}: {len(diff.added)} added, {len(diff.removed)} removed, "
        f"{len(diff.changed)} changed, {diff.unchanged} unchanged"
    ]
    lines += [f"+ No.{p.no} {p.name} ({p.bureau}, {p.status})" for p in diff.added]
    lines += [f"- No.{p.no} {p.name} ({p.bureau})" for p in diff.removed]
    for change in diff.changed:
        parts = []
        for key, value in change.details.items():
            if isinstance(value, dict):
                parts.append(f"{key}: {value['from']} → {value['to']}")
            else:
                parts.append(f"{key}: {'、'.join(map(str, value))}")
        lines.append(f"~ No.{change.new.no} {change.new.name}: " + "; ".join(parts))
    return lines
