"""Names written without their suffix where the wording says what they are.

「兵庫、奈良及び和歌山の3県」, 「大阪、京都、兵庫の3府県」, 「山形・新潟両県」 name prefectures;
「横浜・川崎・相模原の3市」, 「千葉・さいたま両市」 name cities; under a section label that says
prefectures, 「(都道府県)青森、秋田、長野」 names prefectures too.  The count and the suffix the
wording gives must fit the names (three names, each a 府 or a 県), or nothing is read here and
the wording is left to the other rules (and to review).  Pure functions on folded text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .reference import Place, Reference, fold_key
from .wording import SEPARATORS

PREFECTURE_SECTIONS = frozenset({"都道府県", "道府県", "府県", "都県", "道県", "県"})
ITEM_SEPARATORS = ("及び", "および", "並びに", "、", "・", ",", "，", "と", " ")
TAIL = re.compile(
    r"の?(?:(?P<count>\d+|[一二三四五六七八九十]+)(?P<unit>都道府県|道府県|都府県|府県|都県|道県|県|府|市)"
    r"|(?P<pair>両|各)(?P<unit2>都道府県|道府県|府県|都県|道県|県|府|市))"
)
KANJI_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


@dataclass(frozen=True)
class Item:
    """One name of a list: where it is written and the places it may be."""

    start: int
    end: int
    places: tuple[Place, ...]
    stem: bool  # written without its suffix


@dataclass(frozen=True)
class Listed:
    """A list of names and the wording after it that says what they are (の3府県)."""

    items: tuple[Item, ...]
    end: int
    tail_start: int
    city: bool


class Stems:
    """Prefectures and cities by their full names and their stems (the name without 都府県 or 市)."""

    def __init__(self, reference: Reference, variants: dict[str, str]):
        self.prefectures: dict[str, tuple[Place, ...]] = {}
        self.cities: dict[str, tuple[Place, ...]] = {}
        self.stems: set[str] = set()
        for place in reference.places.values():
            key = fold_key(place.name, variants)
            table = self.prefectures if place.is_prefecture else self.cities
            if not place.is_prefecture and place.kind != "city":
                continue
            table[key] = (*table.get(key, ()), place)
            if key[-1] in ("都府県" if place.is_prefecture else "市") and len(key) > 2:
                table[key[:-1]] = (*table.get(key[:-1], ()), place)
                self.stems.add(key[:-1])
        self.longest = max(len(k) for k in (*self.prefectures, *self.cities))
        self._chains: tuple[str, dict] = ("", {})  # the text last scanned, and its chains (``chain``)

    def item(self, table: dict[str, tuple[Place, ...]], text: str, index: int) -> Item | None:
        for size in range(min(self.longest, len(text) - index), 1, -1):
            places = table.get(text[index : index + size])
            if places:
                return Item(index, index + size, places, text[index : index + size] in self.stems)
        return None

    def section_stem(self, text: str, index: int) -> Item | None:
        """A prefecture written without its suffix as a word of its own, under a prefectures label."""
        found = self.item(self.prefectures, text, index)
        if found and found.stem and (found.end == len(text) or text[found.end] in SEPARATORS):
            return found
        return None

    def listed(self, text: str, index: int, context_pref: str) -> Listed | None:
        """The list of prefectures or cities at ``index`` whose wording after it says what they are.

        The scanner asks at every word, so the chain from each word (where it ends, whether a
        stem is in it) is worked out once per cell: a cell of N names costs N steps, not N²."""
        for table, city in ((self.prefectures, False), (self.cities, True)):
            end, stems = self.chain(table, text, index)
            tail = TAIL.match(text, end) if end is not None else None
            if tail is None or not stems:
                continue
            items = self.items(table, text, index)
            unit = tail.group("unit") or tail.group("unit2")
            if (unit == "市") != city or not _count_fits(tail, len(items)):
                continue
            if city:
                items = [_in_context(i, context_pref) for i in items]
            elif not all(len(i.places) == 1 and i.places[0].name[-1] in unit for i in items):
                continue
            return Listed(tuple(items), tail.end(), tail.start(), city)
        return None

    def chain(self, table: dict[str, tuple[Place, ...]], text: str, index: int) -> tuple[int | None, bool]:
        """(where the chain of names from ``index`` ends, whether any of them is a stem), each
        position worked out once per text."""
        if self._chains[0] != text:
            self._chains = (text, {})
        memo = self._chains[1]
        walked: list[tuple[int, Item]] = []  # the chain's names from ``index`` not yet worked out
        position: int | None = index
        while position is not None and (id(table), position) not in memo:
            found = self.item(table, text, position)
            if found is None:
                memo[(id(table), position)] = (None, False)
                break
            walked.append((position, found))
            separator = next((s for s in ITEM_SEPARATORS if text.startswith(s, found.end)), None)
            position = None if separator is None else found.end + len(separator)
        after = memo.get((id(table), position), (None, False)) if position is not None else (None, False)
        for start, found in reversed(walked):  # the last name first: each takes the end and stems after it
            after = (found.end if after[0] is None else after[0], found.stem or after[1])
            memo[(id(table), start)] = after
        return memo[(id(table), index)]

    def items(self, table: dict[str, tuple[Place, ...]], text: str, index: int) -> list[Item]:
        items: list[Item] = []
        position = index
        while (found := self.item(table, text, position)) is not None:
            items.append(found)
            separator = next((s for s in ITEM_SEPARATORS if text.startswith(s, found.end)), None)
            if separator is None:
                break
            position = found.end + len(separator)
        return items


def _count_fits(tail: re.Match[str], count: int) -> bool:
    if tail.group("pair") == "両":
        return count == 2
    if tail.group("pair") == "各":
        return count >= 2
    written = tail.group("count")
    number = int(written) if written.isdigit() else _kanji_number(written)
    return number == count


def _kanji_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + KANJI_DIGITS.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return KANJI_DIGITS.get(tens, 0) * 10 + KANJI_DIGITS.get(ones, 0)
    return KANJI_DIGITS.get(text, 0)


def _in_context(item: Item, context_pref: str) -> Item:
    """A city stem names the city of the prefecture just named when there is one there."""
    local = tuple(p for p in item.places if p.pref_code == context_pref)
    return Item(item.start, item.end, local, item.stem) if len(local) == 1 else item
