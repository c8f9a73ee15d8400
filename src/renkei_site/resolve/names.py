"""New bureau and field names: a stable slug for each, recorded in data/ by the import.

Tokyo reorganises its bureaus nearly every year.  A name that data/bureaus.yaml
or data/fields.yaml does not know gets a slug from its Hepburn reading (a
collision gets ``-2``, ``-3`` …) and an entry appended to that file, marked
``generated``, so its permalink never changes afterwards.  An editor may later
move the name into an existing entry (a rename) or add ``predecessors``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import yamlio
from .readings import slug as reading_slug
from .reference import Reference, name_key

FILES = {"bureau": "bureaus.yaml", "field": "fields.yaml"}


@dataclass(frozen=True)
class NewName:
    """A name the list uses and data/ did not know, with the entry recorded for it."""

    kind: str  # bureau / field
    name: str
    slug: str
    entry: dict[str, Any]

    @property
    def file(self) -> str:
        return FILES[self.kind]

    @property
    def path(self) -> str:
        return f"{self.kind}s/{self.slug}/"


def unique_slug(name: str, kind: str, taken: set[str]) -> str:
    """The reading's slug, or with the first free ``-N`` suffix."""
    base = reading_slug(name) or kind
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def new_names(bureaus: list[str], fields: list[str], fiscal_year: int, reference: Reference) -> list[NewName]:
    """Entries for the bureaus and fields (in order of first use) that data/ does not know."""
    found: list[NewName] = []
    taken = {b["slug"] for b in reference.bureaus}
    for name in dict.fromkeys(bureaus):
        if reference.bureau_entry(name) is None and name_key(name) not in {name_key(n.name) for n in found}:
            slug = unique_slug(name, "bureau", taken)
            taken.add(slug)
            entry = {"slug": slug, "names": [{"name": name, "since": fiscal_year}], "generated": fiscal_year}
            found.append(NewName("bureau", name, slug, entry))
    taken = set(reference.field_slugs.values())
    known = set(reference.field_names)
    for name in dict.fromkeys(fields):
        if name_key(name) not in known:
            known.add(name_key(name))
            slug = unique_slug(name, "field", taken)
            taken.add(slug)
            found.append(NewName("field", name, slug, {"name": name, "slug": slug, "generated": fiscal_year}))
    return found


def appended(text: str, entries: list[NewName], source: str) -> str:
    """The YAML file's text with the entries added at its end (comments and order kept)."""
    if not entries:
        return text
    lines = [f"# added by `renkei-site import {source}`; the slug is the permalink: keep it."]
    if entries[0].kind == "bureau":
        lines += [
            "# A renamed or split bureau: add `predecessors: [old-slug]` (and `successors` to the old entry),",
            "# or move the name into the old entry's `names` with `since:` to keep one page.",
        ]
    body = "".join(yamlio.dump([e.entry]) for e in entries)
    return text + ("" if not text or text.endswith("\n") else "\n") + "\n".join(lines) + "\n" + body
