"""The known places a piece of wording names, found longest first (京都 is never the 京都 of
東京都): for the review of wording the normalizer left as text."""

from __future__ import annotations

from .reference import Place, Reference, fold_key

_INDEXES: dict[str, tuple[dict[str, tuple[Place, ...]], int]] = {}  # fingerprint -> (name -> places, longest)


def name_index(reference: Reference) -> tuple[dict[str, tuple[Place, ...]], int]:
    """Every prefecture (with and without 都府県), municipality and designated-city ward by name."""
    cache_key = reference.fingerprint or str(id(reference))
    if cache_key not in _INDEXES:
        variants = reference.rules.variants or {}
        names: dict[str, tuple[Place, ...]] = {}
        for place in reference.places.values():
            keys = [reference.local_name(place)] + (
                [place.name[:-1]] if place.is_prefecture and place.name[-1] in "都府県" else []
            )
            for name in map(lambda k: fold_key(k, variants), keys):
                names[name] = (*names.get(name, ()), place)
        _INDEXES[cache_key] = (names, max(map(len, names)))
    return _INDEXES[cache_key]


def places_named(text: str, reference: Reference) -> list[Place]:
    """The places whose names the text holds, in order, each once (a name several places have: all)."""
    names, longest = name_index(reference)
    folded = fold_key(text, reference.rules.variants or {})
    found: dict[str, Place] = {}
    index = 0
    while index < len(folded):
        for size in range(min(longest, len(folded) - index), 1, -1):
            places = names.get(folded[index : index + size])
            if places:
                found.update((p.code, p) for p in places if p.code not in found)
                index += size
                break
        else:
            index += 1
    return list(found.values())
