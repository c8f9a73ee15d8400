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
from dataclasses import asdict, dataclass, field

from .reference import MUNICIPAL_KINDS, Place, Reference, fold_key

KINDS = ("prefecture", "municipality", "group", "other", "ambiguous", "unresolved", "none", "text")
# `text`: wording in a partner cell that names no government the normalizer knows
# (prose, 国, 一部事務組合…): kept, shown and exported, never silently dropped.
ROLES = ("current", "past")
COLUMN_OF_ROLE = {"current": "partners_current", "past": "partners_past"}
MAX_PLACE_NAME = 10  # longest word read as a place name that is not in the reference list
SEPARATORS = set("、・,，;；/／ \u3000()（）[]［］「」『』:：。")


@dataclass(frozen=True, slots=True)
class Mention:
    """One partner named in a cell, resolved (or reported) with its wording."""

    role: str  # which list it counts in: current / past
    column: str  # the cell it was read from: current / past / remarks
    kind: str
    surface: str
    name: str = ""
    code: str = ""
    pref_code: str = ""
    qualifier: str = ""
    via: str = ""
    correction: str = ""
    candidates: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if v not in ("", ())}
        if self.candidates:
            data["candidates"] = list(self.candidates)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Mention:
        if not isinstance(data, dict):
            raise TypeError("a mention must be a mapping")
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise KeyError(f"unknown keys {sorted(unknown)}")
        values = {k: (tuple(str(c) for c in v) if k == "candidates" else str(v)) for k, v in data.items()}
        return cls(**values)

    @property
    def is_place(self) -> bool:
        return self.kind in ("prefecture", "municipality")


def mention_problems(mention: Mention, reference: Reference) -> list[tuple[str, str]]:
    """What is wrong with a (possibly hand-edited) mention: (key, message) pairs."""
    problems = []
    if mention.kind not in KINDS:
        problems.append(("kind", f"unknown mention kind {mention.kind!r} (one of {', '.join(KINDS)})"))
    if mention.role not in ROLES:
        problems.append(("role", f"mention role must be current or past, not {mention.role!r}"))
    if mention.is_place:
        place = reference.places.get(mention.code)
        if place is None:
            problems.append(("code", f"code {mention.code!r} is not in data/reference/municipalities.csv"))
        elif place.is_prefecture != (mention.kind == "prefecture"):
            problems.append(("code", f"code {mention.code} is a {place.kind}, not a {mention.kind}"))
    if mention.kind == "group" and mention.name not in reference.groups:
        problems.append(("name", f"unknown group {mention.name!r} (add it to data/groups.yaml)"))
    for code in mention.candidates:
        if code not in reference.places:
            problems.append(("candidates", f"candidate code {code!r} is not in the reference list"))
    return problems


# --- the gazetteer -----------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    kind: str  # pref / muni / group / other
    places: tuple[Place, ...] = ()
    label: str = ""
    pref_code: str = ""


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
            if existing == key and old.kind == entry.kind == "muni":
                bucket[index] = (key, Entry("muni", old.places + entry.places))
                return
        bucket.append((key, entry))

    def longest(self, text: str, start: int) -> tuple[str, Entry] | None:
        best = None
        for key, entry in self.by_start.get(text[start : start + 2], ()):
            if text.startswith(key, start) and (best is None or len(key) > len(best[0])):
                best = (key, entry)
        return best


def build_gazetteer(reference: Reference) -> Gazetteer:
    variants = reference.rules.get("variants", {})
    gazetteer = Gazetteer(reference, variants)
    places = reference.places
    for place in places.values():
        if place.is_prefecture:
            gazetteer.add(place.name, Entry("pref", (place,)))
            continue
        gazetteer.by_pref.setdefault(place.pref_code, []).append(place)
        if place.kind == "ward":
            gazetteer.add(places[place.parent_code].name + place.name, Entry("muni", (place,)))
            continue
        gazetteer.add(place.name, Entry("muni", (place,)))
        if place.gun:
            gazetteer.add(place.gun + place.name, Entry("muni", (place,)))
    for group in reference.groups.values():
        for name in (group.label, *group.aliases):
            gazetteer.add(name, Entry("group", label=group.label))
    for other in reference.rules.get("others", []):
        gazetteer.add(other["name"], Entry("other", label=other["name"], pref_code=str(other.get("pref", ""))))
    return gazetteer


# --- scanning a cell ---------------------------------------------------------


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
    note_start: int = 0
    brackets: list[tuple[int, str]] = field(default_factory=list)  # (mention index, via label)
    vias: list[str] = field(default_factory=list)  # the non-empty via labels of open brackets
    sees_remarks: bool = False
    last_end: int = 0
    unread_start: int | None = None  # start of text no rule has consumed yet

    def surface(self, start: int, end: int) -> str:
        return self.original[self.offsets[start] : self.offsets[end]]


def fold_with_offsets(text: str, variants: dict[str, str]) -> tuple[str, list[int]]:
    folded, offsets = [], []
    for index, char in enumerate(text):
        for piece in fold_key(char, variants) if not char.isspace() else " ":
            folded.append(piece)
            offsets.append(index)
    offsets.append(len(text))
    return "".join(folded), offsets


class Normalizer:
    """Resolves partner cells against the reference data (build it once)."""

    def __init__(self, reference: Reference):
        self.reference = reference
        self.gazetteer = build_gazetteer(reference)
        rules = reference.rules
        self.variants = rules.get("variants", {})
        self.none_markers = {fold_key(m, self.variants) for m in rules.get("none", [])}
        self.see_remarks = sorted(
            (fold_key(m, self.variants) for m in rules.get("see_remarks", [])),
            key=len,
            reverse=True,
        )
        self.sections = [re.compile(p) for p in rules.get("sections", [])]
        self.suffixes = [re.compile(p) for p in rules.get("suffixes", [])]
        self.periods = [re.compile(p) for p in rules.get("periods", [])]
        self.facilities = re.compile(rules.get("facilities", r"(?!x)x"))
        self.generic = {fold_key(g, self.variants) for g in rules.get("generic", [])}
        self.connectives = sorted(rules.get("connectives", []), key=len, reverse=True)

    def row(self, cells: dict[str, str], where: tuple[int, int] = (0, 0)) -> list[Mention]:
        """All mentions of a row: current, past, and the remarks where a cell points there."""
        mentions: list[Mention] = []
        for role in ROLES:
            scan = self.cell(cells.get(COLUMN_OF_ROLE[role], ""), role, role)
            mentions.extend(scan.mentions)
            if scan.sees_remarks:
                found = self.cell(cells.get("remarks", ""), role, "remarks").mentions
                mentions.extend(
                    found or [Mention(role, "remarks", "none", "※備考欄", qualifier="備考欄に自治体名なし")]
                )
        return [self.override(m, where) for m in mentions]

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

    def flush_text(self, scan: _Scan, end: int) -> None:
        """Keep wording no rule understood (from ``unread_start`` to ``end``) as a `text` mention,
        unless it is only separators and connectives (及び, を含む …).  Called before anything
        is consumed, so the mentions stay in reading order."""
        start, scan.unread_start = scan.unread_start, None
        if start is None or scan.column == "remarks":
            return
        surface = _strip_words(scan.surface(start, end), self.connectives)
        folded = core = fold_key(surface, self.variants)
        for word in self.connectives:
            core = core.replace(word, "")
        if any(ch not in SEPARATORS for ch in core) and folded not in self.generic:
            scan.mentions.append(Mention(scan.role, scan.column, "text", surface, qualifier=scan.section))

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
        found = self.gazetteer.longest(text, index)
        if found:
            return self.take(scan, index, *found)
        if _at_token_start(text, index):
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

    def take(self, scan: _Scan, start: int, key: str, entry: Entry) -> int:
        end = start + len(key)
        if entry.kind == "pref":
            place = entry.places[0]
            follow = _skip_spaces(scan.folded, end)
            nxt = self.gazetteer.longest(scan.folded, follow)
            scan.context_pref = place.pref_code
            if nxt and nxt[1].kind == "muni" and any(p.pref_code == place.pref_code for p in nxt[1].places):
                return self.take_muni(scan, start, follow, *nxt)
            token_end = _token_end(scan.folded, follow, limit=MAX_PLACE_NAME + 1)
            if self.is_unknown_place(scan.folded[follow:token_end]):
                return self.unknown(scan, start, token_end, follow)
            self.add(scan, start, end, "prefecture", place)
        elif entry.kind == "muni":
            return self.take_muni(scan, start, start, key, entry)
        elif entry.kind == "group":
            self.add_mention(scan, start, end, kind="group", name=entry.label)
        else:
            self.add_mention(scan, start, end, kind="other", name=entry.label, pref_code=entry.pref_code)
        return self.suffix(scan, end)

    def take_muni(self, scan: _Scan, start: int, name_start: int, key: str, entry: Entry) -> int:
        end = name_start + len(key)
        candidates = [p for p in entry.places if p.pref_code == scan.context_pref]
        if len(candidates) != 1:
            candidates = [p for p in entry.places if p.kind in MUNICIPAL_KINDS] or list(entry.places)
        if len(candidates) == 1:
            scan.context_pref = candidates[0].pref_code
            self.add(scan, start, end, "municipality", candidates[0])
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

    def is_unknown_place(self, token: str) -> bool:
        return (
            2 <= len(token) <= MAX_PLACE_NAME
            and token[-1] in "市区町村"
            and token not in self.generic
            and not any(ch.isdigit() or ch.isascii() for ch in token)
            and not any(self.gazetteer.longest(token, i) for i in range(len(token)))
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
        name = self.reference.local_name(place)
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
        self.flush_text(scan, start)
        via = scan.vias[-1] if scan.vias else ""
        scan.last_end = end
        scan.mentions.append(
            Mention(
                scan.role,
                scan.column,
                surface=scan.surface(start, end),
                qualifier=scan.section,
                via=via,
                **values,
            )
        )

    def suffix(self, scan: _Scan, index: int) -> int:
        """Qualifiers written right after a mention: (2019年度まで), (東京事務所), 等."""
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
            scan.mentions[i] = _replace(old, qualifier=" ".join(x for x in (old.qualifier, text) if x))

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
                if old.is_place:
                    scan.mentions[i] = _replace(old, kind="other", name=f"{old.name}内の{facility}", code="")

    def override(self, mention: Mention, where: tuple[int, int]) -> Mention:
        """A resolution pinned by hand in data/overrides.yaml (by surface, optionally year and No.)."""
        for pin in self.reference.overrides:
            if fold_key(str(pin.get("surface", "")), self.variants) != fold_key(mention.surface, self.variants):
                continue
            if any(key in pin and int(pin[key]) != value for key, value in zip(("year", "no"), where, strict=False)):
                continue
            note = f"data/overrides.yaml: {pin['note']}" if pin.get("note") else "data/overrides.yaml"
            if pin.get("kind") in ("group", "other", "none"):
                return _replace(
                    mention,
                    kind=pin["kind"],
                    name=str(pin.get("name", "")),
                    code="",
                    candidates=(),
                    correction=note,
                )
            place = self.reference.places[str(pin["code"])]
            kind = "prefecture" if place.is_prefecture else "municipality"
            fixed = f"{mention.surface}→{self.reference.local_name(place)} ({note})"
            return _replace(
                mention,
                kind=kind,
                name=self.reference.local_name(place),
                code=place.code,
                pref_code=place.pref_code,
                candidates=(),
                correction=fixed,
            )
        return mention


def _replace(mention: Mention, **changes) -> Mention:
    return Mention(**{**asdict(mention), "candidates": mention.candidates, **changes})


def _adjacent(text: str, index: int, scan: _Scan) -> bool:
    """True when the bracket follows the last mention directly: a member list."""
    return not text[scan.last_end : index].strip()


def _label(text: str) -> str:
    """A section label without its wrapping brackets or trailing colon: 具体的な連携."""
    text = text.strip().rstrip(":：は")
    if text[:1] in "(（[［【" and text[-1:] in ")）]］】":
        text = text[1:-1]
    return text


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


def _strip_words(text: str, words: list[str]) -> str:
    """Text without separators and the given words at either end: 「国及び」 -> 「国」."""
    edges = "".join(SEPARATORS) + "\n"
    before = None
    while before != text:
        before = text
        text = text.strip(edges)
        for word in words:
            text = text.removeprefix(word).removesuffix(word)
    return text


def _one_substitution(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=False)) == 1
