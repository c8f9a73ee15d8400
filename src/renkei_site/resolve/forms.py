"""The ways a list writes a place, read at a point of a cell: a prefecture and what follows it,
a municipality in context, names without their suffix, a body named after a place, a ward
after a ward of its city, a former municipality, and a place-shaped word no name fits.  A mixin
of the Normalizer (it uses the tables the Normalizer builds)."""

from __future__ import annotations

from .bodies import StemBody
from .gazetteer import SLIP, Entry, Found
from .lists import PREFECTURE_SECTIONS, Listed
from .mention import replace
from .reference import MUNICIPAL_KINDS, fold_key
from .scan import Scan, at_token_start, joined, mid_word, one_substitution, skip_spaces, token_end
from .wording import leading

MUNI_ENTRIES = ("muni", "former")  # what may follow a prefecture's name as one of its municipalities
MAX_PLACE_NAME = 10  # longest word read as a place name that is not in the reference list


class PlaceForms:
    def take(self, scan: Scan, start: int, found: Found) -> int:
        end, entry = found.end, found.entry
        if entry.kind == "pref":
            place = entry.places[0]
            follow = skip_spaces(scan.folded, end)
            nxt = self.gazetteer.match(scan.folded, follow)
            scan.context_pref = place.pref_code
            if (
                nxt
                and nxt.entry.kind in MUNI_ENTRIES
                and not any(p.pref_code == place.pref_code for p in nxt.entry.places)
            ):
                former = self.former_in(place.pref_code, scan.folded[follow : nxt.end].replace(" ", ""))
                if former is not None:  # 北海道大野町: its former town, not 岐阜県大野町
                    nxt = Found(nxt.end, former, nxt.spaced)
                elif follow == end:  # written as one word: never another prefecture's place
                    return self.unknown(scan, start, nxt.end, follow)
                else:  # 愛媛県 岩手県: a space separates two names of a list
                    nxt = None
            if nxt and nxt.entry.kind in MUNI_ENTRIES:
                take = self.take_muni if nxt.entry.kind == "muni" else self.take_former
                return take(scan, start, follow, nxt)
            word_end = token_end(scan.folded, follow, limit=MAX_PLACE_NAME + 1)
            if self.is_unknown_place(scan.folded[follow:word_end]):
                return self.unknown(scan, start, word_end, follow)
            self.add(scan, start, end, "prefecture", place, **joined(scan, start, end, found, place.name))
            if entry.label == SLIP:
                scan.mentions[-1] = replace(scan.mentions[-1], correction=f"{scan.surface(start, end)}→{place.name}")
        elif entry.kind == "muni":
            return self.take_muni(scan, start, start, found)
        elif entry.kind == "former":
            return self.take_former(scan, start, start, found)
        elif entry.kind == "group":
            self.add_mention(scan, start, end, kind="group", name=entry.label)
        else:
            self.add_mention(
                scan, start, end, kind="other", name=entry.label, code=entry.code, pref_code=entry.pref_code
            )
        return self.suffix(scan, end)

    def take_muni(self, scan: Scan, start: int, name_start: int, found: Found) -> int:
        end, entry = found.end, found.entry
        candidates = [p for p in entry.places if p.pref_code == scan.context_pref]
        if len(candidates) != 1:
            candidates = [p for p in entry.places if p.kind in MUNICIPAL_KINDS] or list(entry.places)
        if len(candidates) == 1:
            scan.context_pref = candidates[0].pref_code
            name = self.reference.local_name(candidates[0])
            self.add(scan, start, end, "municipality", candidates[0], **joined(scan, start, end, found, name))
        else:
            codes = tuple(sorted(p.code for p in candidates))
            self.add_mention(
                scan,
                start,
                end,
                kind="ambiguous",
                name=scan.surface(name_start, end),
                candidates=codes,
            )
        return self.suffix(scan, end)

    def stem_list(self, scan: Scan, index: int) -> int | None:
        """Prefectures or cities written without their suffix where the wording says what they are
        (兵庫、奈良及び和歌山の3県; (都道府県)青森、秋田): read them, return where to go on."""
        listed = self.stems.listed(scan.folded, index, scan.context_pref)
        if listed is None:
            item = self.stems.section_stem(scan.folded, index) if scan.section in PREFECTURE_SECTIONS else None
            if item is None:
                return None
            listed = Listed((item,), item.end, item.end, city=False)
        first = len(scan.mentions)
        for item in listed.items:
            if len(item.places) == 1:
                scan.context_pref = item.places[0].pref_code
                kind = "municipality" if listed.city else "prefecture"
                self.add(scan, item.start, item.end, kind, item.places[0])
            else:
                candidates = tuple(sorted(p.code for p in item.places))
                name = scan.surface(item.start, item.end)
                self.add_mention(scan, item.start, item.end, kind="ambiguous", name=name, candidates=candidates)
        if listed.tail_start < listed.end:
            self.qualify(scan, first, scan.surface(listed.tail_start, listed.end))
            scan.note_start = len(scan.mentions)
        return self.suffix(scan, listed.end)

    def take_body(self, scan: Scan, start: int, body: StemBody) -> int:
        """A body named after a municipality (弘前大学): located there when the text says which."""
        surface = scan.surface(start, body.end)
        if len(body.places) == 1:
            place = body.places[0]
            scan.context_pref = place.pref_code
            note = f"{surface}→{self.reference.full_name(place)}にある団体"
            self.add_mention(
                scan, start, body.end, kind="other", name=surface, code=place.code, pref_code=place.pref_code
            )
            scan.mentions[-1] = replace(scan.mentions[-1], correction=note)
        else:
            self.add_mention(scan, start, body.end, kind="other", name=surface)
        scan.last_end = body.consumed
        return self.suffix(scan, body.consumed)

    def ward_of_context_city(self, scan: Scan, index: int) -> Found | None:
        """A bare ward name in a chain after a ward of a designated city is that city's ward:
        「さいたま市浦和区・北区」 (not Tokyo's 北区)."""
        if not scan.context_city or not at_token_start(scan.folded, index):
            return None
        for name, place in self.city_wards.get(scan.context_city, ()):
            if scan.folded.startswith(name, index):
                return Found(index + len(name), Entry("muni", (place,)))
        return None

    def former_in(self, pref_code: str, name: str) -> Entry | None:
        """The successors of a former municipality of this name in this prefecture (北海道大野町)."""
        successors = self.former_places.get((pref_code, name.removeprefix("旧")))
        return Entry("former", successors) if successors else None

    def take_former(self, scan: Scan, start: int, name_start: int, found: Found) -> int:
        """A municipality merged away (旧与野市, 浦和市): read as today's successor, with a note."""
        end = found.end
        former = scan.folded[name_start:end].replace(" ", "").removeprefix("旧")
        local = [p for p in found.entry.places if p.pref_code == scan.context_pref]
        candidates = {p.code: p for p in (local or found.entry.places)}
        if len(candidates) == 1:
            [place] = candidates.values()
            scan.context_pref = place.pref_code
            year = self.former_years.get((place.pref_code, former), "")
            written = "".join(scan.surface(name_start, end).split()).removeprefix("旧")
            note = f"{scan.surface(start, end)}→{self.reference.local_name(place)}(旧{written}、{year}年に合併)"
            self.add(scan, start, end, "municipality", place, correction=note)
        else:
            name = scan.surface(name_start, end)
            self.add_mention(scan, start, end, kind="ambiguous", name=name, candidates=tuple(sorted(candidates)))
        return self.suffix(scan, end)

    def is_unknown_place(self, token: str) -> bool:
        return (
            2 <= len(token) <= MAX_PLACE_NAME
            and token[-1] in "市区町村"
            and leading(token, self.particles) is None
            and token not in self.generic
            and not any(ch.isdigit() or ch.isascii() for ch in token)
            and not any(self.gazetteer.longest(token, i) and not mid_word(token[:i]) for i in range(len(token)))
        )

    def unknown(self, scan: Scan, start: int, end: int, name_start: int | None = None) -> int:
        """A place-shaped word with no match: correct it if unambiguous, else report it."""
        name_start = start if name_start is None else name_start
        token = scan.folded[name_start:end]
        gun, _, bare = token.rpartition("郡")
        gun = gun + "郡" if gun else ""
        pool = [p for p in self.gazetteer.by_pref.get(scan.context_pref, []) if p.kind in MUNICIPAL_KINDS]
        if gun:
            pool = [p for p in pool if fold_key(p.gun, self.variants) == gun]
        near = [p for p in pool if one_substitution(fold_key(p.name, self.variants), bare)]
        if len(near) > 1:  # 嶋田市: of 島田市, 磐田市, 下田市 only 島田市 differs by an old form of its letter
            alike = [p for p in near if one_substitution(fold_key(p.name, self.variants), bare, self.lookalikes)]
            near = alike if len(alike) == 1 else near
        if len(near) == 1:
            place = near[0]
            scan.context_pref = place.pref_code
            self.add(
                scan,
                start,
                end,
                "municipality",
                place,
                correction=f"{scan.surface(name_start, end)}→{place.name}",
            )
        else:
            self.add_mention(scan, start, end, kind="unresolved", candidates=tuple(sorted(p.code for p in near)))
        return self.suffix(scan, end)
