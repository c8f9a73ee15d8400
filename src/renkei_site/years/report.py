"""What a maintainer reads after an import or a check: counts, corrections, problems."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..records import Project, Year
from ..resolve.mention import Mention
from ..resolve.named import places_named
from ..resolve.reference import Reference, name_key
from .diff import Diff, diff_lines, diff_years

if TYPE_CHECKING:  # the names module is import machinery: a build (which shows `notable`) does without it
    from ..resolve.names import NewName


def notable(project: Project) -> list[Mention]:
    """Mentions a reviewer should look at: corrected, ambiguous or unresolved."""
    return [m for m in project.mentions if m.correction or m.kind in ("ambiguous", "unresolved")]


def mention_line(year: int, project: Project, mention: Mention, reference: Reference) -> str:
    where = f"{year} No.{project.no} {mention.column}"
    if mention.kind == "text":
        names = "、".join(reference.full_name(p) for p in places_named(mention.surface, reference))
        return f"{where}: text 「{mention.surface}」 names {names}: read it by hand or pin it in data/overrides.yaml"
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


def source_form(source: dict[str, str]) -> str:
    """「pdf」, or the text form with its encoding: 「layout, cp932」."""
    form, encoding = source.get("form", ""), source.get("encoding", "")
    return form if encoding in ("", form) else f"{form}, {encoding}"


def review_lines(year: Year, reference: Reference) -> list[str]:
    """Every mention to review, under the ``FILE:LINE`` of the row of the list it was read from:
    corrected, ambiguous, unresolved, and wording left as text that holds a known place's name."""
    folder = Path(year.path).parent
    lines = []
    for project in year.projects:
        named = [m for m in project.mentions if m.kind == "text" and places_named(m.surface, reference)]
        items = [mention_line(year.fiscal_year, project, m, reference) for m in (*notable(project), *named)]
        if items:
            where = replace(project.source, file=str(folder / project.source.file))
            lines += [f"{where}: to review in {year.fiscal_year} No.{project.no}:", *items]
    return lines


def import_report(
    new: Year, replaced: Year | None, earlier: list[Year], reference: Reference, added: list[NewName] = ()
) -> list[str]:
    """The review report: counts, partners to look at, new names, and changes against last year."""
    kinds = Counter(m.kind for p in new.projects for m in p.mentions)
    as_of = new.as_of or "unknown (no date in the title block: give it with --as-of YYYY-MM-DD)"
    lines = [
        f"fiscal year {new.fiscal_year} ({new.title or 'no title'}), as of {as_of}",
        f"rows read: {len(new.projects)}  (source {source_form(new.source)})",
        "mentions: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())),
    ]
    if new.source.get("allowed_gaps"):
        lines.insert(2, f"No. skips {new.source['allowed_gaps']} (allowed by --allow-gaps)")
    lines += review_lines(new, reference)
    against = diff_years(earlier[-1], new, reference) if earlier else None
    lines += first_seen(new, earlier, reference)
    lines += added_lines(added, against)
    if replaced is not None:
        lines.append(
            f"replaced the earlier import of {replaced.fiscal_year}: {len(replaced.projects)} → {len(new.projects)} projects"
        )
        lines += ["  " + line for line in diff_lines(diff_years(replaced, new, reference))]
    if against is not None:
        lines.append(f"changes against {against.old_year}:")
        lines += ["  " + line for line in diff_lines(against)]
    return lines


def first_seen(new: Year, earlier: list[Year], reference: Reference) -> list[str]:
    """Bureaus and fields no earlier year used, and names data/ gives for other years only."""
    lines = []
    for attr in ("bureau", "field"):
        seen = {name_key(getattr(p, attr)) for y in earlier for p in y.projects}
        names = dict.fromkeys(getattr(p, attr) for p in new.projects)
        for name in sorted(n for n in names if name_key(n) not in seen) if earlier else []:
            lines.append(f"new {attr} (not in any earlier year): {name}")
    for name in sorted({p.bureau for p in new.projects}):
        if reference.bureau_entry(name) is not None and not reference.bureau_known(name, new.fiscal_year):
            lines.append(f"bureau {name}: data/bureaus.yaml does not give it for {new.fiscal_year} (check since/until)")
    return lines


def added_lines(added: list[NewName], diff: Diff | None) -> list[str]:
    """What the import recorded in data/ for new names, and how to say a bureau was renamed or split."""
    lines = [f"added to data/{entry.file}: {entry.name} → {entry.path} (slug from its reading)" for entry in added]
    sources: dict[str, list[str]] = {}
    for old, targets in diff.bureaus_renamed if diff else ():
        for target in targets:
            sources.setdefault(target, []).append(old)
    for entry in added:
        if entry.kind == "bureau" and entry.name in sources:
            lines.append(
                f"  {entry.name} took over projects of {'、'.join(sources[entry.name])}: if it is a rename or split, add "
                f"`predecessors: [old slug]` to its entry in data/bureaus.yaml (or move the name into the old entry)"
            )
    if any(entry.kind == "bureau" for entry in added) and not any(line.startswith("  ") for line in lines):
        lines.append(
            "  a new bureau that renames or splits an earlier one: add `predecessors: [old slug]` to its entry"
            " in data/bureaus.yaml"
        )
    return lines
