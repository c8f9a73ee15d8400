"""Every name the normalizer knows, on its folded key: places, groups, other bodies."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .reference import Place, Reference, fold_key
from .wording import SEPARATORS

VOICED_MARKS = ("\u3099", "\u309a")  # what NFKC makes of a lone half-width ﾞ and ﾟ


@dataclass(frozen=True)
class Entry:
    kind: str  # pref / muni / former / group / other
    places: tuple[Place, ...] = ()
    label: str = ""
    pref_code: str = ""
    code: str = ""  # for a body: the code of the place it belongs to


@dataclass(frozen=True)
class Found:
    """A known name found in a cell: where it ends and what it is; ``spaced`` when it was written
    with spaces inside (the reading joined them: a review item)."""

    end: int
    entry: Entry
    spaced: bool = False


SPACED_WINDOW = 24  # characters looked at for a name broken by spaces (longer names are not)
WORD_ENDS = SEPARATORS | set("※等")


def _compact(window: str) -> tuple[str, list[int]]:
    """The window without spaces, and for each character kept the window index after it."""
    kept = [(char, index + 1) for index, char in enumerate(window) if char != " "]
    return "".join(c for c, _ in kept), [end for _, end in kept]


@dataclass
class Gazetteer:
    """Every known name on its folded key, found by the first two characters."""

    reference: Reference
    variants: dict[str, str]
    by_start: dict[str, list[tuple[str, Entry]]] = field(default_factory=dict)
    by_pref: dict[str, list[Place]] = field(default_factory=dict)

    def add(self, name: str, entry: Entry) -> None:
        key = fold_key(name, self.variants)
        bucket = self.by_start.setdefault(key[:2], [])
        for index, (existing, old) in enumerate(bucket):
            if existing == key and old.kind == entry.kind and entry.kind in ("muni", "former"):
                bucket[index] = (key, Entry(entry.kind, old.places + entry.places))
                return
        bucket.append((key, entry))

    def has(self, name: str, kind: str) -> bool:
        key = fold_key(name, self.variants)
        return any(existing == key and entry.kind == kind for existing, entry in self.by_start.get(key[:2], ()))

    def longest(self, text: str, start: int) -> tuple[str, Entry] | None:
        best = None
        for key, entry in self.by_start.get(text[start : start + 2], ()):
            if text.startswith(key, start) and (best is None or len(key) > len(best[0])):
                best = (key, entry)
        return best

    def match(self, text: str, start: int) -> Found | None:
        """The longest name at ``start``; a name broken by spaces (a wrapped cell, 「佐世 保市」) counts
        when it is longer than any name written whole there and ends where a word ends."""
        exact = self.longest(text, start)
        found = Found(start + len(exact[0]), exact[1]) if exact else None
        window = text[start : start + SPACED_WINDOW]
        if " " not in window[1:] or window[:1] == " ":
            return found
        compact, ends = _compact(window)
        shortest = len(exact[0]) if exact else 0
        for key, entry in self.by_start.get(compact[:2], ()):
            if len(key) > shortest and compact.startswith(key):
                end = start + ends[len(key) - 1]
                if end >= len(text) or text[end] in WORD_ENDS:
                    shortest, found = len(key), Found(end, entry, spaced=True)
        return found


SLIP = "slip"  # the label of a prefecture's name written with another's suffix
SLIP_SUFFIXES = {"都": "府県", "府": "県", "県": "府"}  # 北海道 is the only 道: no slip gives it


def slips(name: str) -> list[str]:
    """The prefecture's name with the suffix of another kind: 京都県, 大阪県, 東京府, 奈良府."""
    stem, suffix = name[:-1], name[-1]
    return [stem + other for other in SLIP_SUFFIXES.get(suffix, "")]


def build_gazetteer(reference: Reference) -> Gazetteer:
    variants = reference.rules.variants or {}
    gazetteer = Gazetteer(reference, variants)
    places = reference.places
    for place in places.values():
        if place.is_prefecture:
            gazetteer.add(place.name, Entry("pref", (place,)))
            for slip in slips(place.name):  # 京都県, 東京府: read as the prefecture, and reported
                gazetteer.add(slip, Entry("pref", (place,), label=SLIP))
            continue
        gazetteer.by_pref.setdefault(place.pref_code, []).append(place)
        if place.kind == "ward":
            gazetteer.add(places[place.parent_code].name + place.name, Entry("muni", (place,)))
            continue
        gazetteer.add(place.name, Entry("muni", (place,)))
        if place.gun:
            gazetteer.add(place.gun + place.name, Entry("muni", (place,)))
    for former in reference.former:  # 旧与野市, and 与野市 where no municipality has that name today
        successor = (places[former.successor_code],)
        gazetteer.add("旧" + former.name, Entry("former", successor))
        if not gazetteer.has(former.name, "muni"):
            gazetteer.add(former.name, Entry("former", successor))
    for group in reference.groups.values():
        for name in (group.label, *group.aliases):
            gazetteer.add(name, Entry("group", label=group.label))
    for other in reference.rules.others:
        pref = other.pref or (places[other.code].pref_code if other.code else "")
        code = other.code or (reference.prefecture_by_code[pref].code if pref else "")
        gazetteer.add(other.name, Entry("other", label=other.name, pref_code=pref, code=code))
    return gazetteer


# --- scanning a cell ---------------------------------------------------------


LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)  # a line break a spreadsheet export wrote as HTML


def fold_with_offsets(text: str, variants: dict[str, str]) -> tuple[str, list[int]]:
    """The folded text (as fold_key, but spaces and line breaks kept as one space each, 「<br>」
    too) and, for each folded character, the index of the original character it came from."""
    folded: list[str] = []
    offsets: list[int] = []
    breaks = {m.start(): m.end() for m in LINE_BREAK_TAG.finditer(text)} if "<" in text else {}
    skip_to = 0
    for index, char in enumerate(text):
        if index < skip_to:
            continue
        if index in breaks:
            skip_to = breaks[index]
            folded.append(" ")
            offsets.append(index)
            continue
        for piece in fold_key(char, variants) if not char.isspace() else " ":
            if piece in VOICED_MARKS and folded:  # a half-width ﾞ/ﾟ: one character with the kana before it
                joined = unicodedata.normalize("NFC", folded[-1] + piece)
                if len(joined) == 1:
                    folded[-1] = joined
                    continue
            folded.append(piece)
            offsets.append(index)
    offsets.append(len(text))
    return "".join(folded), offsets
