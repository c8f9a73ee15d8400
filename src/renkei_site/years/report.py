"""What a maintainer reads after an import or a check: counts, corrections, problems."""

from __future__ import annotations

from collections import Counter

from ..records import Project, Year
from ..resolve.normalize import Mention
from ..resolve.reference import Reference
from .diff import diff_lines, diff_years


def notable(project: Project) -> list[Mention]:
    """Mentions a reviewer should look at: corrected, ambiguous or unresolved."""
    return [m for m in project.mentions if m.correction or m.kind in ("ambiguous", "unresolved")]


def mention_line(year: int, project: Project, mention: Mention, reference: Reference) -> str:
    where = f"{year} No.{project.no} {mention.column}"
    if mention.kind == "unresolved":
        hint = (
            f" (one letter from: {', '.join(reference.full_name(reference.places[c]) for c in mention.candidates)})"
            if mention.candidates
            else ""
        )
        return f"{where}: unresolved 「{mention.surface}」{hint} — pin it in data/overrides.yaml"
    if mention.kind == "ambiguous":
        names = ", ".join(f"{reference.full_name(reference.places[c])} ({c})" for c in mention.candidates)
        return f"{where}: ambiguous 「{mention.surface}」: {names}"
    return f"{where}: corrected {mention.correction}"


def review_lines(year: Year, reference: Reference) -> list[str]:
    return [mention_line(year.fiscal_year, p, m, reference) for p in year.projects for m in notable(p)]


def import_report(new: Year, replaced: Year | None, earlier: list[Year], reference: Reference) -> list[str]:
    """The review report: counts, partners to look at, new names, and changes against last year."""
    kinds = Counter(m.kind for p in new.projects for m in p.mentions)
    lines = [
        f"fiscal year {new.fiscal_year} ({new.title or 'no title'}), as of {new.as_of or 'unknown'}",
        f"rows read: {len(new.projects)}  (source {new.source.get('form')}, {new.source.get('encoding')})",
        "mentions: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())),
    ]
    lines += review_lines(new, reference)
    lines += first_seen(new, earlier, reference)
    if replaced is not None:
        lines.append(
            f"replaced the earlier import of {replaced.fiscal_year}: {len(replaced.projects)} → {len(new.projects)} projects"
        )
        lines += ["  " + line for line in diff_lines(diff_years(replaced, new, reference.project_links))]
    if earlier:
        previous = earlier[-1]
        lines.append(f"changes against {previous.fiscal_year}:")
        lines += ["  " + line for line in diff_lines(diff_years(previous, new, reference.project_links))]
    return lines


def first_seen(new: Year, earlier: list[Year], reference: Reference) -> list[str]:
    """Bureaus and fields no earlier year used, and names data/ does not know for this year."""
    lines = []
    for attr in ("bureau", "field"):
        seen = {getattr(p, attr) for y in earlier for p in y.projects}
        for name in sorted({getattr(p, attr) for p in new.projects} - seen) if earlier else []:
            lines.append(f"new {attr} (not in any earlier year): {name}")
    for name in sorted({p.bureau for p in new.projects}):
        if name not in reference.bureau_names:
            lines.append(f"unknown bureau: {name} — add it to data/bureaus.yaml (with since: {new.fiscal_year})")
        elif not reference.bureau_known(name, new.fiscal_year):
            lines.append(f"bureau {name}: data/bureaus.yaml does not give it for {new.fiscal_year} (check since/until)")
    for name in sorted({p.field for p in new.projects} - set(reference.fields)):
        lines.append(f"unknown field: {name} — add it to data/fields.yaml")
    return lines
