"""The known places a piece of wording names, found longest first (京都 is never the 京都 of
東京都): for the review of wording the normalizer left as text."""

from __future__ import annotations

from .reference import Place, Reference, fold_key

_INDEXES: dict[str, tuple[dict[str, Place], int]] = {}  # reference fingerprint -> (name -> place, longest)


def name_index(reference: Reference) -> tuple[dict[str, Place], int]:
    """Every prefecture (with and without 都府県), municipality and designated-city ward by name."""
    key = reference.fingerprint or str(id(reference))
    if key not in _INDEXES:
        variants = reference.rules.variants or {}
        names: dict[str, Place] = {}
        for place in reference.places.values():
            names.setdefault(fold_key(reference.local_name(place), variants), place)
            if place.is_prefecture and place.name[-1] in "都府県":
                names.setdefault(fold_key(place.name[:-1], variants), place)
        _INDEXES[key] = (names, max(map(len, names)))
    return _INDEXES[key]


def places_named(text: str, reference: Reference) -> list[Place]:
    """The places whose names the text holds, in order, each once."""
    names, longest = name_index(reference)
    folded = fold_key(text, reference.rules.variants or {})
    found: dict[str, Place] = {}
    index = 0
    while index < len(folded):
        for size in range(min(longest, len(folded) - index), 1, -1):
            place = names.get(folded[index : index + size])
            if place is not None:
                found.setdefault(place.code, place)
                index += size
                break
        else:
            index += 1
    return list(found.values())
