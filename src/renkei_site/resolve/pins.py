"""Readings pinned by hand in data/overrides.yaml, applied to a mention (by surface, optionally
year, No., role and column)."""

from __future__ import annotations

from .mention import Mention, replace
from .reference import Reference
from .rules import Override


def pinned(mention: Mention, where: tuple[int, int], pins: tuple[Override, ...], reference: Reference) -> Mention:
    """The mention as the first pin that fits it says (``pins``: those of its folded surface)."""
    for pin in pins:
        if (pin.year is not None and pin.year != where[0]) or (pin.no is not None and pin.no != where[1]):
            continue
        if (pin.role and pin.role != mention.role) or (pin.column and pin.column != mention.column):
            continue
        note = f"data/overrides.yaml: {pin.note}" if pin.note else "data/overrides.yaml"
        if pin.kind in ("group", "other", "none"):
            place = reference.places.get(pin.code)  # a body located in a place
            return replace(
                mention,
                kind=pin.kind,
                name=pin.name,
                code=place.code if place else "",
                pref_code=place.pref_code if place else "",
                candidates=(),
                correction=note,
            )
        place = reference.places[pin.code]
        name = reference.local_name(place)
        return replace(
            mention,
            kind="prefecture" if place.is_prefecture else "municipality",
            name=name,
            code=place.code,
            pref_code=place.pref_code,
            candidates=(),
            correction=f"{mention.surface}→{name} ({note})",
        )
    return mention
