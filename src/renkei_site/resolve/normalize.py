"""Resolve the partner cells of a row into typed, coded mentions.

A cell is scanned left to right on a folded copy of its text.  At each point
the scanner tries, in order: a section label, a "see remarks" marker, a ※ note,
a bracket, and the longest known name (other body, group, municipality,
prefecture).  Prefecture context follows the text: 「神奈川県川崎市・横浜市」 gives
two cities of 神奈川県.  A municipality-shaped word that is no known name is
corrected when exactly one name of the context prefecture is one letter away,
and otherwise reported as unresolved; a bare name found in several
prefectures is reported as ambiguous with its candidates.  Nothing is guessed.

Any year's wording, not only FY2022's (resolve/forms.py): a name broken by a
space or a line break, names without their suffix where the wording says what
they are (兵庫、奈良の2県), 府県 slips, a ward after a ward of its city, a former
municipality (旧与野市 → さいたま市), a body named after a place (弘前大学), a
variant character.  Every reading that needed a character changed, joined or a
name's history is a correction, and so a review item.
"""

from __future__ import annotations

import re

from .bodies import BodyStems
from .forms import MUNI_ENTRIES, PlaceForms
from .gazetteer import build_gazetteer, fold_with_offsets
from .lists import Stems
from .mention import COLUMN_OF_ROLE, PARTNER_ROLES, Mention, replace
from .pins import pinned
from .reference import Place, Reference, fold_key
from .rules import Override
from .scan import Scan, adjacent, at_token_start, label, mid_word, token_end
from .wording import LEADING, SEPARATORS, balanced, balanced_pieces, first_clause, last_clause, leading, strip_words

REMARKS_KINDS = ("prefecture", "municipality", "other", "ambiguous")
READ_COLUMNS = (*(COLUMN_OF_ROLE[role] for role in PARTNER_ROLES), "remarks")  # the cells a row's mentions come from
LIST_JOINS = ("及び", "および", "並びに", "と")  # a list of names may start right after these


class Normalizer(PlaceForms):
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
            is_pinned = any(fold_key(m.surface, self.variants) in self.pins for m in mentions)
            self.read_rows[key] = (mentions, is_pinned)
        mentions, is_pinned = self.read_rows[key]
        return [self.override(m, where) for m in mentions] if is_pinned else list(mentions)

    def override(self, mention: Mention, where: tuple[int, int]) -> Mention:
        """A resolution pinned by hand in data/overrides.yaml (by surface, optionally year and No.)."""
        return pinned(
            mention, where, tuple(self.pins.get(fold_key(mention.surface, self.variants), ())), self.reference
        )

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

    def cell(self, text: str, role: str, column: str) -> Scan:
        folded, offsets = fold_with_offsets(text, self.variants)
        scan = Scan(role, column, text, folded, offsets)
        if folded.strip() in self.none_markers or not folded.strip():
            if column != "remarks":
                scan.mentions.append(Mention(role, column, "none", text.strip()))
            return scan
        index = 0
        while index < len(folded):
            index = self.step(scan, index)
        self.flush_text(scan, len(folded))
        return scan

    def flush_text(self, scan: Scan, end: int, before_name: bool = False) -> None:
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

    def attach_to_previous(self, scan: Scan, text: str) -> str:
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

    def add_text(self, scan: Scan, text: str) -> None:
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

    def step(self, scan: Scan, index: int) -> int:
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
                heading = label(scan.surface(index, match.end()))
                if re.fullmatch("[①-⑳]", heading):  # a numbered part: the labels inside it are sub-labels
                    scan.part, scan.section = heading, heading
                else:
                    scan.section = f"{scan.part} {heading}" if scan.part else heading
                scan.note_start = len(scan.mentions)
                return match.end()
        if scan.column != "remarks" and at_token_start(text, index):
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
            if scan.mentions and scan.mentions[-1].kind == "group" and adjacent(text, index, scan):
                via = scan.mentions[-1].name
            scan.brackets.append((len(scan.mentions), via))
            if via:
                scan.vias.append(via)
            return index + 1
        if char in ")）":
            self.close_bracket(scan, index)
            return index + 1
        if at_token_start(text, index) or text.endswith(LIST_JOINS, 0, index):
            read = self.stem_list(scan, index)
            if read:
                return read
        found = self.gazetteer.match(text, index)
        ward = self.ward_of_context_city(scan, index)
        if ward is not None and (found is None or ward.end >= found.end):
            return self.take_muni(scan, index, index, ward)
        start = scan.unread_start
        if found and found.entry.kind in MUNI_ENTRIES and start is not None and mid_word(text[start:index]):
            return self.unknown(scan, start, found.end)  # 桧原村: never 原村, whose name it does not hold
        if found:
            return self.take(scan, index, found)
        if at_token_start(text, index) or scan.prefix:
            body = self.body_stems.at(text, index, scan.context_pref)
            if body:
                return self.take_body(scan, index, body)
        if scan.column != "remarks" and at_token_start(text, index):
            end = token_end(text, index)
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
        end = token_end(text, index)
        if text[index:end] in self.none_markers:
            return end
        for marker in self.none_markers:
            after = index + len(marker)
            if text.startswith(marker, index) and any(p.match(text, after) for p in self.sections):
                return after
        return None

    def note_end(self, text: str, start: int) -> int:
        """Where a ※ note ends: at a separator, or where a prefecture's name runs on after it."""
        end = token_end(text, start)
        for index in range(start + 1, end):
            found = self.gazetteer.longest(text, index)
            if found and found[1].kind == "pref":
                return index
        return end

    def add(self, scan: Scan, start: int, end: int, kind: str, place: Place, **extra) -> None:
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

    def add_mention(self, scan: Scan, start: int, end: int, **values) -> None:
        self.flush_text(scan, start, before_name=True)
        via = scan.vias[-1] if scan.vias else ""
        scan.last_end = end
        qualifier = " ".join(part for part in (scan.section, scan.prefix) if part)
        scan.prefix = ""
        scan.mentions.append(
            Mention(scan.role, scan.column, surface=scan.surface(start, end), qualifier=qualifier, via=via, **values)
        )

    def suffix(self, scan: Scan, index: int) -> int:
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

    def qualify(self, scan: Scan, first: int, text: str) -> None:
        for i in range(max(first, 0), len(scan.mentions)):
            old = scan.mentions[i]
            scan.mentions[i] = replace(old, qualifier=" ".join(x for x in (old.qualifier, text) if x))

    def close_bracket(self, scan: Scan, index: int) -> None:
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
