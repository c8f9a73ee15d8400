"""Resolve the partner cells of a row into typed, coded mentions.

A cell is scanned left to right on a folded copy of its text.  At each point
the scanner tries, in order: a section label, a "see remarks" marker, a ※ note,
a bracket, and the longest known name (other body, group, municipality,
prefecture).  Prefecture context follows the text: 「神奈川県川崎市・横浜市」 gives
two cities of 神奈川県.  A municipality-shaped word that is no known name is
corrected when exactly one name of the context prefecture is one letter away,
and otherwise reported as unresolved; a bare name found in several
prefectures is reported as ambiguous with its candidates.  Nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .bodies import BodyStems, StemBody
from .gazetteer import SLIP, Entry, Found, build_gazetteer, fold_with_offsets
from .lists import PREFECTURE_SECTIONS, Listed, Stems
from .mention import COLUMN_OF_ROLE, PARTNER_ROLES, Mention, replace
from .reference import MUNICIPAL_KINDS, Place, Reference, fold_key
from .rules import Override
from .wording import LEADING, SEPARATORS, balanced, balanced_pieces, first_clause, last_clause, leading, strip_words

REMARKS_KINDS = ("prefecture", "municipality", "other", "ambiguous")
READ_COLUMNS = (*(COLUMN_OF_ROLE[role] for role in PARTNER_ROLES), "remarks")  # the cells a row's mentions come from
MUNI_ENTRIES = ("muni", "former")  # what may follow a prefecture's name as one of its municipalities
LIST_JOINS = ("及び", "および", "並びに", "と")  # a list of names may start right after these
MAX_PLACE_NAME = 10  # longest word read as a place name that is not in the reference list


@dataclass
class _Scan:
    """State while scanning one cell."""

    role: str
    column: str
    original: str
    folded: str
    offsets: list[int]  # folded index -> original index
    mentions: list[Mention] = field(default_factory=list)
    section: str = ""
    part: str = ""  # ①, ② … heading the labels after it
    context_pref: str = ""
    context_city: str = ""  # the designated city of the ward read last: a bare ward after it is its
    note_start: int = 0
    brackets: list[tuple[int, str]] = field(default_factory=list)  # (mention index, via label)
    vias: list[str] = field(default_factory=list)  # the non-empty via labels of open brackets
    sees_remarks: bool = False
    last_end: int = 0
    unread_start: int | None = None  # start of text no rule has consumed yet
    prefix: str = ""  # wording that ran straight into the next name: its qualifier

    def surface(self, start: int, end: int) -> str:
        return self.original[self.offsets[start] : self.offsets[end]]


class Normalizer:
    """Resolves partner cells against the reference data (build it once)."""

    def __init__(self, reference: Reference):
        self.reference = reference
        self.gazetteer = build_gazetteer(reference)
        rules = reference.rules
        self.variants = rules.variants or {}
        self.lookalikes = rules.lookalikes or {}
        self.reported_variants = set(self.variants) - set(rules.unreported_variants)
        self.none_markers = {fold_key(m, self.variants) for m in rules.none}
        self.see_remarks = sorted((fold_key(m, self.variants) for m in rules.see_remarks), key=len, reverse=True)
        self.sections = [re.compile(p) for p in rules.sections]
        self.suffixes = [re.compile(p) for p in rules.suffixes]
        self.periods = [re.compile(p) for p in rules.periods]
        self.facilities = re.compile(rules.facilities)
        self.generic = {fold_key(g, self.variants) for g in rules.generic}
        self.connectives = sorted(rules.connectives, key=len, reverse=True)
        self.particles = list(rules.particles)
        self.bodies = re.compile(rules.bodies)
        self.publisher = fold_key(rules.publisher, self.variants)
        self.pins: dict[str, list[Override]] = {}  # folded surface -> its overrides, in the file's order
        for pin in reference.overrides:
            self.pins.setdefault(fold_key(pin.surface, self.variants), []).append(pin)
        self.former_years = {(f.pref_code, fold_key(f.name, self.variants)): f.year for f in reference.former}
        self.former_places: dict[tuple[str, str], tuple[Place, ...]] = {}
        for f in reference.former:
            key = (f.pref_code, fold_key(f.name, self.variants))
            self.former_places[key] = (*self.former_places.get(key, ()), reference.places[f.successor_code])
        self.stems = Stems(reference, self.variants)
        self.body_stems = BodyStems(reference, self.variants, self.bodies)
        self.marks = [fold_key(m, self.variants) for m in rules.marks]
        self.city_wards: dict[str, list[tuple[str, Place]]] = {}  # designated city -> its wards, longest first
        for place in reference.places.values():
            if place.kind == "ward":
                self.city_wards.setdefault(place.parent_code, []).append((fold_key(place.name, self.variants), place))
        for wards in self.city_wards.values():
            wards.sort(key=lambda pair: -len(pair[0]))
        self.read_rows: dict[tuple[str, ...], tuple[list[Mention], bool]] = {}  # cells -> mentions, pinned?

    def row(self, cells: dict[str, str], where: tuple[int, int] = (0, 0)) -> list[Mention]:
        """All mentions of a row: current and past partners (read in the remarks where a partner
        cell sends the reader there, ※備考欄), and otherwise the places the remarks name.

        The cells are read once however many rows repeat them (a long list does); the overrides
        of data/overrides.yaml, which may name the year and No. ``where``, apply to each row."""
        key = tuple(cells.get(column, "") for column in READ_COLUMNS)
        if key not in self.read_rows:
            mentions = self.read(cells)
            pinned = any(fold_key(m.surface, self.variants) in self.pins for m in mentions)
            self.read_rows[key] = (mentions, pinned)
        mentions, pinned = self.read_rows[key]
        return [self.override(m, where) for m in mentions] if pinned else list(mentions)

    def read(self, cells: dict[str, str]) -> list[Mention]:
        """The mentions of a row's cells, before any override."""
        mentions: list[Mention] = []
        remarks = cells.get("remarks", "")
        pointed = False
        for role in PARTNER_ROLES:
            scan = self.cell(cells.get(COLUMN_OF_ROLE[role], ""), role, role)
            mentions.extend(scan.mentions)
            if scan.sees_remarks:
                pointed = True
                found = self.cell(remarks, role, "remarks").mentions
                mentions.extend(
                    found or [Mention(role, "remarks", "none", "※備考欄", qualifier="備考欄に自治体名なし")]
                )
        if not pointed:  # places and bodies the remarks name (a group there is a word, not a reading)
            mentions.extend(m for m in self.cell(remarks, "remarks", "remarks").mentions if m.kind in REMARKS_KINDS)
        return mentions

    def cell(self, text: str, role: str, column: str) -> _Scan:
        folded, offsets = fold_with_offsets(text, self.variants)
        scan = _Scan(role, column, text, folded, offsets)
        if folded.strip() in self.none_markers or not folded.strip():
            if column != "remarks":
                scan.mentions.append(Mention(role, column, "none", text.strip()))
            return scan
        index = 0
        while index < len(folded):
            index = self.step(scan, index)
        self.flush_text(scan, len(folded))
        return scan

    def flush_text(self, scan: _Scan, end: int, before_name: bool = False) -> None:
        """Place the wording no rule understood (from ``unread_start`` to ``end``); called before
        anything is consumed, so the mentions stay in reading order.

        Clauses that start with a particle (の技術管理部門…, でも事業展開中) describe the names
        before them and become their qualifier; with ``before_name``, the clause that runs straight
        into the name at ``end`` (結婚支援に取り組む全国道府県) becomes that name's qualifier.  The
        rest is a `text` mention, unless it is only separators and connectives (及び, を含む …)."""
        start, scan.unread_start = scan.unread_start, None
        if start is None or scan.column == "remarks":
            return
        text = self.attach_to_previous(scan, scan.surface(start, end))
        if before_name and text and text[-1] not in SEPARATORS and not text.endswith(tuple(self.connectives)):
            text, tail = last_clause(text)
            scan.prefix = balanced(strip_words(tail, self.connectives))
        self.add_text(scan, text)

    def attach_to_previous(self, scan: _Scan, text: str) -> str:
        """Give the clauses that start with a particle to the names before them; return the rest."""
        while True:
            text = text.lstrip(LEADING)
            connective = leading(text, self.connectives)  # を含む, 及び …: joins, describes nothing
            if connective is not None:
                text = text[len(connective) :]
                continue
            particle = leading(text, self.particles)
            if particle is None:
                return text
            clause, text = first_clause(text)
            if scan.mentions and scan.mentions[-1].kind != "text":
                self.qualify(scan, min(scan.note_start, len(scan.mentions) - 1), balanced(strip_words(clause, [])))
                scan.note_start = len(scan.mentions)  # the clause closes the run it describes
            else:  # nothing to describe: keep the wording, without the particle
                text = clause[len(particle) :] + text

    def add_text(self, scan: _Scan, text: str) -> None:
        """Wording that names nothing known, as `text` mentions: one per piece between brackets that
        have no partner in it, none starting with a particle."""
        for piece in balanced_pieces(strip_words(text, self.connectives)):
            surface = strip_words(piece, self.connectives)
            while (particle := leading(surface, self.particles)) is not None:
                surface = strip_words(surface[len(particle) :], self.connectives)
            folded = core = fold_key(surface, self.variants)
            for word in self.connectives:
                core = core.replace(word, "")
            if any(ch not in SEPARATORS for ch in core) and folded not in self.generic:
                scan.mentions.append(Mention(scan.role, scan.column, "text", surface, qualifier=scan.section))
                scan.note_start = len(scan.mentions)

    def step(self, scan: _Scan, index: int) -> int:
        """Consume what starts at ``index``; return where to go on."""
        text = scan.folded
        for marker in self.see_remarks:
            if text.startswith(marker, index):
                self.flush_text(scan, index)
                scan.sees_remarks = True
                return index + len(marker)
        for pattern in self.sections:
            match = pattern.match(text, index)
            if match:
                self.flush_text(scan, index)
                label = _label(scan.surface(index, match.end()))
                if re.fullmatch("[①-⑳]", label):  # a numbered part: the labels inside it are sub-labels
                    scan.part, scan.section = label, label
                else:
                    scan.section = f"{scan.part} {label}" if scan.part else label
                scan.note_start = len(scan.mentions)
                return match.end()
        if scan.column != "remarks" and _at_token_start(text, index):
            end = self.none_end(text, index)
            if end:
                self.add_mention(scan, index, end, kind="none")
                return end
        for mark in self.marks:  # (一社)長野県観光機構: the legal form qualifies the name it runs into
            if text.startswith(mark, index):
                self.flush_text(scan, index)
                scan.prefix = scan.surface(index, index + len(mark))
                return index + len(mark)
        char = text[index]
        if char == "※":
            self.flush_text(scan, index)
            end = self.note_end(text, index + 1)
            self.qualify(scan, scan.note_start, scan.surface(index, end))
            scan.note_start = len(scan.mentions)
            return end
        if char in "(（":
            via = ""
            if scan.mentions and scan.mentions[-1].kind == "group" and _adjacent(text, index, scan):
                via = scan.mentions[-1].name
            scan.brackets.append((len(scan.mentions), via))
            if via:
                scan.vias.append(via)
            return index + 1
        if char in ")）":
            self.close_bracket(scan, index)
            return index + 1
        if _at_token_start(text, index) or text.endswith(LIST_JOINS, 0, index):
            read = self.stem_list(scan, index)
            if read:
                return read
        found = self.gazetteer.match(text, index)
        ward = self.ward_of_context_city(scan, index)
        if ward is not None and (found is None or ward.end >= found.end):
            return self.take_muni(scan, index, index, ward)
        start = scan.unread_start
        if found and found.entry.kind in MUNI_ENTRIES and start is not None and _mid_word(text[start:index]):
            return self.unknown(scan, start, found.end)  # 桧原村: never 原村, whose name it does not hold
        if found:
            return self.take(scan, index, found)
        if _at_token_start(text, index) or scan.prefix:
            body = self.body_stems.at(text, index, scan.context_pref)
            if body:
                return self.take_body(scan, index, body)
        if scan.column != "remarks" and _at_token_start(text, index):
            end = _token_end(text, index)
            if self.is_unknown_place(text[index:end]):
                self.unknown(scan, index, end)
                return end
        if scan.unread_start is None and char not in SEPARATORS:
            scan.unread_start = index
        return index + 1

    # A wrapped cell's lines are joined with no space next to a wide character
    # (read/table.join_wrapped), so a word may run on into the next line's:
    # 「…自治体」「東京都大田区…」 reads 「…自治体東京都大田区…」.

    def none_end(self, text: str, index: int) -> int | None:
        """Where a "no partner" marker at ``index`` ends: a whole word, or a marker run on into a
        section label (「関係自治体なし令和2年度(第二回)…」)."""
        end = _token_end(text, index)
        if text[index:end] in self.none_markers:
            return end
        for marker in self.none_markers:
            after = index + len(marker)
            if text.startswith(marker, index) and any(p.match(text, after) for p in self.sections):
                return after
        return None

    def note_end(self, text: str, start: int) -> int:
        """Where a ※ note ends: at a separator, or where a prefecture's name runs on after it."""
        end = _token_end(text, start)
        for index in range(start + 1, end):
            found = self.gazetteer.longest(text, index)
            if found and found[1].kind == "pref":
                return index
        return end

    def take(self, scan: _Scan, start: int, found: Found) -> int:
        end, entry = found.end, found.entry
        if entry.kind == "pref":
            place = entry.places[0]
            follow = _skip_spaces(scan.folded, end)
            nxt = self.gazetteer.match(scan.folded, follow)
            scan.context_pref = place.pref_code
            if nxt and nxt.entry.kind in MUNI_ENTRIES:
                former = self.former_in(place.pref_code, scan.folded[follow : nxt.end].replace(" ", ""))
                if not any(p.pref_code == place.pref_code for p in nxt.entry.places) and former is None:
                    return self.unknown(scan, start, nxt.end, follow)  # never another prefecture's place
                if former is not None and not any(p.pref_code == place.pref_code for p in nxt.entry.places):
                    nxt = Found(nxt.end, former, nxt.spaced)
                take = self.take_muni if nxt.entry.kind == "muni" else self.take_former
                return take(scan, start, follow, nxt)
            token_end = _token_end(scan.folded, follow, limit=MAX_PLACE_NAME + 1)
            if self.is_unknown_place(scan.folded[follow:token_end]):
                return self.unknown(scan, start, token_end, follow)
            self.add(scan, start, end, "prefecture", place, **_joined(scan, start, end, found, place.name))
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

    def take_muni(self, scan: _Scan, start: int, name_start: int, found: Found) -> int:
        end, entry = found.end, found.entry
        candidates = [p for p in entry.places if p.pref_code == scan.context_pref]
        if len(candidates) != 1:
            candidates = [p for p in entry.places if p.kind in MUNICIPAL_KINDS] or list(entry.places)
        if len(candidates) == 1:
            scan.context_pref = candidates[0].pref_code
            name = self.reference.local_name(candidates[0])
            self.add(scan, start, end, "municipality", candidates[0], **_joined(scan, start, end, found, name))
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

    def stem_list(self, scan: _Scan, index: int) -> int | None:
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

    def take_body(self, scan: _Scan, start: int, body: StemBody) -> int:
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

    def ward_of_context_city(self, scan: _Scan, index: int) -> Found | None:
        """A bare ward name in a chain after a ward of a designated city is that city's ward:
        「さいたま市浦和区・北区」 (not Tokyo's 北区)."""
        if not scan.context_city or not _at_token_start(scan.folded, index):
            return None
        for name, place in self.city_wards.get(scan.context_city, ()):
            if scan.folded.startswith(name, index):
                return Found(index + len(name), Entry("muni", (place,)))
        return None

    def former_in(self, pref_code: str, name: str) -> Entry | None:
        """The successors of a former municipality of this name in this prefecture (北海道大野町)."""
        successors = self.former_places.get((pref_code, name.removeprefix("旧")))
        return Entry("former", successors) if successors else None

    def take_former(self, scan: _Scan, start: int, name_start: int, found: Found) -> int:
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
            and not any(self.gazetteer.longest(token, i) and not _mid_word(token[:i]) for i in range(len(token)))
        )

    def unknown(self, scan: _Scan, start: int, end: int, name_start: int | None = None) -> int:
        """A place-shaped word with no match: correct it if unambiguous, else report it."""
        name_start = start if name_start is None else name_start
        token = scan.folded[name_start:end]
        gun, _, bare = token.rpartition("郡")
        gun = gun + "郡" if gun else ""
        pool = [p for p in self.gazetteer.by_pref.get(scan.context_pref, []) if p.kind in MUNICIPAL_KINDS]
        if gun:
            pool = [p for p in pool if fold_key(p.gun, self.variants) == gun]
        near = [p for p in pool if _one_substitution(fold_key(p.name, self.variants), bare)]
        if len(near) > 1:  # 嶋田市: of 島田市, 磐田市, 下田市 only 島田市 differs by an old form of its letter
            alike = [p for p in near if _one_substitution(fold_key(p.name, self.variants), bare, self.lookalikes)]
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

    def add(self, scan: _Scan, start: int, end: int, kind: str, place: Place, **extra) -> None:
        if scan.role == "remarks" and fold_key(place.name, self.variants) == self.publisher:
            return  # 東京都 in the remarks is the list's own author, not a place it names
        scan.context_city = place.parent_code if place.kind == "ward" else ""
        name = self.reference.local_name(place)
        surface = scan.surface(start, end)
        if "correction" not in extra and any(c in self.reported_variants and c not in name for c in surface):
            extra["correction"] = f"{surface}→{name}"  # 金澤市: read with a variant of its letter, reviewed
        self.add_mention(
            scan,
            start,
            end,
            kind=kind,
            name=name,
            code=place.code,
            pref_code=place.pref_code,
            **extra,
        )

    def add_mention(self, scan: _Scan, start: int, end: int, **values) -> None:
        self.flush_text(scan, start, before_name=True)
        via = scan.vias[-1] if scan.vias else ""
        scan.last_end = end
        qualifier = " ".join(part for part in (scan.section, scan.prefix) if part)
        scan.prefix = ""
        scan.mentions.append(
            Mention(scan.role, scan.column, surface=scan.surface(start, end), qualifier=qualifier, via=via, **values)
        )

    def suffix(self, scan: _Scan, index: int) -> int:
        """Qualifiers written right after a mention: (2019年度まで), (東京事務所), 等; and a body
        named right after a place (広島市水道局), which makes the mention that body's."""
        last = scan.mentions[-1] if scan.mentions and scan.last_end == index else None
        body = self.bodies.match(scan.folded, index) if last is not None and last.is_place else None
        if body:
            words = scan.surface(index, body.end())
            scan.mentions[-1] = replace(last, kind="other", name=last.name + words, surface=last.surface + words)
            scan.last_end = body.end()
            return self.suffix(scan, body.end())
        for pattern in self.periods:
            match = pattern.match(scan.folded, index)
            if match:
                self.qualify(scan, scan.note_start, scan.surface(index, match.end()))
                scan.note_start = len(scan.mentions)
                return self.suffix(scan, match.end())
        for pattern in self.suffixes:
            match = pattern.match(scan.folded, index)
            if match:
                self.qualify(scan, len(scan.mentions) - 1, scan.surface(index, match.end()))
                return self.suffix(scan, match.end())
        return index

    def qualify(self, scan: _Scan, first: int, text: str) -> None:
        for i in range(max(first, 0), len(scan.mentions)):
            old = scan.mentions[i]
            scan.mentions[i] = replace(old, qualifier=" ".join(x for x in (old.qualifier, text) if x))

    def close_bracket(self, scan: _Scan, index: int) -> None:
        if not scan.brackets:
            return
        first, via = scan.brackets.pop()
        if via:
            scan.vias.pop()
        # 「内の…等)」 is at most a few characters long: look only that far back
        opening = scan.folded.rfind("(", max(index - 20, 0), index)
        match = self.facilities.search(scan.folded, max(opening, index - 20, 0), index + 1)
        if match and match.end() == index + 1:
            scan.unread_start = None  # 「内の…等」 becomes part of the names below
            facility = scan.surface(match.start(1), match.end(1))
            for i in range(first, len(scan.mentions)):
                old = scan.mentions[i]
                if old.is_place:  # a body located in the place: it keeps the place's codes
                    scan.mentions[i] = replace(old, kind="other", name=f"{old.name}内の{facility}")

    def override(self, mention: Mention, where: tuple[int, int]) -> Mention:
        """A resolution pinned by hand in data/overrides.yaml (by surface, optionally year and No.)."""
        for pin in self.pins.get(fold_key(mention.surface, self.variants), ()):
            if (pin.year is not None and pin.year != where[0]) or (pin.no is not None and pin.no != where[1]):
                continue
            if (pin.role and pin.role != mention.role) or (pin.column and pin.column != mention.column):
                continue
            note = f"data/overrides.yaml: {pin.note}" if pin.note else "data/overrides.yaml"
            if pin.kind in ("group", "other", "none"):
                place = self.reference.places.get(pin.code)  # a body located in a place
                return replace(
                    mention,
                    kind=pin.kind,
                    name=pin.name,
                    code=place.code if place else "",
                    pref_code=place.pref_code if place else "",
                    candidates=(),
                    correction=note,
                )
            place = self.reference.places[pin.code]
            kind = "prefecture" if place.is_prefecture else "municipality"
            fixed = f"{mention.surface}→{self.reference.local_name(place)} ({note})"
            return replace(
                mention,
                kind=kind,
                name=self.reference.local_name(place),
                code=place.code,
                pref_code=place.pref_code,
                candidates=(),
                correction=fixed,
            )
        return mention


def _joined(scan: _Scan, start: int, end: int, found: Found, name: str) -> dict[str, str]:
    """A name read across the spaces a wrapped cell left in it is reported: 佐世 保市→佐世保市."""
    return {"correction": f"{scan.surface(start, end)}→{name}"} if found.spaced else {}


def _adjacent(text: str, index: int, scan: _Scan) -> bool:
    """True when the bracket follows the last mention directly: a member list."""
    return not text[scan.last_end : index].strip()


def _label(text: str) -> str:
    """A section label without its wrapping brackets or trailing colon: 具体的な連携."""
    text = text.strip().rstrip(":：は")
    if text[:1] in "(（[［【" and text[-1:] in ")）]］】":
        text = text[1:-1]
    return balanced(text).strip()


def _skip_spaces(text: str, index: int) -> int:
    while index < len(text) and text[index] == " ":
        index += 1
    return index


def _at_token_start(text: str, index: int) -> bool:
    return index == 0 or text[index - 1] in SEPARATORS


def _token_end(text: str, index: int, limit: int | None = None) -> int:
    """Where the word at ``index`` ends (at most ``limit`` characters on: callers that only
    want short words stay linear on text without separators)."""
    stop = len(text) if limit is None else min(len(text), index + limit)
    while index < stop and text[index] not in SEPARATORS and text[index] != "※":
        index += 1
    return index


def _mid_word(before: str) -> bool:
    """Whether a name found after ``before`` (the unread start of its word) would be read from the
    middle of a longer name: one or two kanji run straight into it (桧|原村), after any 郡."""
    stem = before.rpartition("郡")[2]
    return 1 <= len(stem) <= 2 and all(_is_kanji(c) for c in stem)


def _is_kanji(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"


def _one_substitution(a: str, b: str, only: dict[str, str] | None = None) -> bool:
    """Whether ``b`` is ``a`` with one letter changed (with ``only``: to an old form of it, as b: a)."""
    if len(a) != len(b):
        return False
    changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(changed) == 1 and (only is None or only.get(changed[0][1]) == changed[0][0])
