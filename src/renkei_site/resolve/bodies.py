"""Bodies whose name starts with a municipality's name without its 市町村: 弘前大学, 高崎経済大学,
印西地区環境整備事業組合(千葉県).  They are located in that municipality where the text says
which one it is (the prefecture in brackets after the name, the prefecture just named, or a
name found in one prefecture only); the reading is reported for review."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .reference import MUNICIPAL_KINDS, Place, Reference, fold_key

MIN_STEM = 2  # 津 (津市) is too short to start a body's name


@dataclass(frozen=True)
class StemBody:
    """A body found at a point of a cell: where it ends, the bracket naming its prefecture, its places."""

    end: int
    places: tuple[Place, ...]
    consumed: int  # where reading goes on: after the body, or after the bracket that locates it


class BodyStems:
    def __init__(self, reference: Reference, variants: dict[str, str], bodies: re.Pattern[str]):
        self.bodies = bodies
        self.stems: dict[str, tuple[Place, ...]] = {}
        self.prefectures = {fold_key(p.name, variants): p for p in reference.prefectures}
        for place in reference.places.values():
            key = fold_key(place.name, variants)
            if place.kind in MUNICIPAL_KINDS and key[-1] in "市町村" and len(key) - 1 >= MIN_STEM:
                self.stems[key[:-1]] = (*self.stems.get(key[:-1], ()), place)
        self.longest = max(map(len, self.stems))

    def at(self, text: str, index: int, context_pref: str) -> StemBody | None:
        for size in range(min(self.longest, len(text) - index), MIN_STEM - 1, -1):
            places = self.stems.get(text[index : index + size])
            body = self.bodies.match(text, index + size) if places else None
            if body:
                return self.located(text, body.end(), places, context_pref)
        return None

    def located(self, text: str, end: int, places: tuple[Place, ...], context_pref: str) -> StemBody:
        bracket = re.match(r"[(（]([^()（）]{2,4})[)）]", text[end:])
        pref = self.prefectures.get(bracket.group(1)) if bracket else None
        if pref is not None:
            return StemBody(end, tuple(p for p in places if p.pref_code == pref.pref_code), end + bracket.end())
        local = tuple(p for p in places if p.pref_code == context_pref)
        return StemBody(end, local if len(local) == 1 else places, end)
