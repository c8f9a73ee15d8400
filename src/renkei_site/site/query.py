"""Answer a search query from the search index and the place dictionary: the same matching as
static/search.js.

A query is split into terms, all of which must match (AND); words that together name a place
are one term (Yokohama City, 西多摩郡 日の出町).  A term whose folded form is a key of a place
(site/placebook.py), or one of the list's own spellings of it (文教区), names that place: it
matches the projects that name the place (for a prefecture, also any municipality in it) as a
current or past partner or in 備考; then the projects whose name, description or remarks carry
the place's name outside any longer place name (京都 is not in 東京都); then, for a term in
kanji, the projects that carry it as a word elsewhere, outside any place name (港 in 港湾局),
labelled so; then — kept apart — the projects that include the place only through a group
(a prefecture: a group with members in it; a municipality: a group whose stated members
include it, or for a ward its city).  Any other term is a word, matched in the text with width,
kana and long-vowel folding, and in a project's reading only where a word of it starts.  A
place no project names answers with its page and what reaches it through groups; a term that
finds nothing gets the places it may have meant.

Keep this file and static/search.js in step: tests run the same queries through both and compare.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..resolve.readings import fold_romaji
from .placebook import KANA, PlaceBook, fold_text, former_label, is_text_form

ROLE_LABELS = {"c": "現在の関係自治体", "p": "過去の関係自治体", "m": "備考"}
TEXT_LABEL = "事業名・事業内容"
WORD_FIELDS = (
    ("t", "事業名"),
    ("b", "所管局"),
    ("f", "分野"),
    ("d", "事業内容"),
    ("m", "備考"),
    ("o", "関係自治体"),
    ("e", "注記"),
)
PLACE_TEXT_FIELDS = (("t", TEXT_LABEL), ("d", TEXT_LABEL), ("m", "備考"))
RANK = {"named": 4, "text": 3, "word": 2, "group": 1}
SPLIT = re.compile(r"[\s\u3000]+")
JOIN_UP_TO = 3  # words joined into one term when together they name a place (Yokohama City)
NEAR_LIMIT = 5

__all__ = ["fold_text", "is_text_form"]


def is_romaji(term: str) -> bool:
    """Latin letters, digits and marks only once accents and macrons are dropped (kyōto)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", term))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).isascii()


def term_key(term: str) -> str:
    return fold_romaji(term) if is_romaji(term) else fold_text(term)


def found_outside(text: str, form: str, blockers: list[str]) -> bool:
    """Whether ``form`` occurs in ``text`` somewhere not inside an occurrence of a blocker."""
    if form not in text:
        return False
    covered = []
    for blocker in blockers:
        start = text.find(blocker)
        while start >= 0:
            covered.append((start, start + len(blocker)))
            start = text.find(blocker, start + 1)
    start = text.find(form)
    while start >= 0:
        if not any(a <= start and start + len(form) <= b for a, b in covered):
            return True
        start = text.find(form, start + 1)
    return False


def in_reading(reading: str, needle: str) -> bool:
    """Whether ``needle`` starts where a word of the reading starts (the reading's words are
    separated by spaces: site/search.py), so a short word is never found inside a longer one."""
    joined, at = "", []
    for piece in reading.split(" "):
        at.append(len(joined))
        joined += piece
    return any(joined.startswith(needle, start) for start in at)


def one_edit(a: str, b: str) -> bool:
    """Whether b is a with one letter changed, added or dropped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


@dataclass
class Term:
    text: str
    key: str
    places: list[dict] = field(default_factory=list)
    spelled: bool = False  # named only by a spelling of the list (文教区 for 文京区)
    former: dict[str, str] = field(default_factory=dict)  # code -> the former name naming it (浦和市)

    @property
    def ambiguous(self) -> bool:
        """Names places in more than one prefecture (府中: 東京都府中市 and 広島県府中市), or
        more than one successor of a former name (兵庫県一宮町: 淡路市 and 宍粟市)."""
        return len({place["p"] for place in self.places}) > 1 or len(self.former) > 1

    def label(self, place: dict) -> str:
        """How the term names a place: its name, or 「浦和市 → 埼玉県さいたま市(旧市名)」."""
        name = self.former.get(place["c"])
        return former_label(name, place) if name else place["n"]


@dataclass
class Hit:
    item: int
    part: str  # named / text / word / group
    reasons: list[str]


@dataclass
class Answer:
    terms: list[Term]
    named: list[Hit]
    text: list[Hit]
    word: list[Hit]
    group: list[Hit]


def _member(ranges: list[list[str]], code: str) -> bool:
    return any(low <= code <= high for low, high in ranges)


class Index:
    """The search index (site/search.py's index_data) and the place dictionary
    (site/placebook.py), ready to answer queries."""

    def __init__(self, data: dict, dictionary: dict):
        self.data = data
        self.items = data["items"]
        self.folded = [{key: fold_text(_joined(item.get(key, ""))) for key, _ in WORD_FIELDS} for item in self.items]
        for folded in self.folded:  # every field at once, for a quick "not here" (static/search.js alike)
            folded["all"] = "\n".join(folded[key] for key, _ in WORD_FIELDS)
        self.book = PlaceBook(dictionary)
        self.places = self.book.places
        self.by_key = self.book.by_key
        for code, known in data["places"].items():
            place = self.book.by_code[code]
            place["roles"] = _inverted(known.get("x", {}))
            place["groups"] = _inverted(known.get("v", {}))
            place["s"] = known.get("s", 0)
        groups = data["groups"]
        for place in self.places:
            if place["kind"] == "p":
                continue
            for label in sorted(groups):
                ranges = groups[label]["m"]
                if _member(ranges, place["c"]) or (place["parent"] and _member(ranges, place["parent"])):
                    for item in groups[label]["i"]:
                        place["groups"].setdefault(item, []).append(label)
        self.spellings: dict[str, list[dict]] = {}
        for key, codes in data["spellings"].items():
            self.spellings[key] = [self.book.by_code[code] for code in codes]

    def term(self, text: str) -> Term:
        """The places a term names: by today's names first, then as a former name (浦和市)."""
        key = term_key(text.replace(" ", ""))
        places, former = list(self.by_key.get(key, [])), {}
        for entry in self.book.former_by_key.get(key, []):
            if entry["to"]["c"] not in former and all(p["c"] != entry["to"]["c"] for p in places):
                places.append(entry["to"])
                former[entry["to"]["c"]] = entry["f"]
        if places or key not in self.spellings:
            return Term(text, key, places, former=former)
        return Term(text, key, list(self.spellings[key]), spelled=True)

    def names_place(self, text: str) -> bool:
        key = term_key(text)
        return key in self.by_key or key in self.book.former_by_key or key in self.spellings

    def terms(self, query: str) -> list[Term]:
        """The query's terms; words that together name a place are one term (Yokohama City)."""
        words = [t for t in SPLIT.split(query.strip()) if t and term_key(t)]
        terms, i = [], 0
        while i < len(words):
            size = next(
                (
                    n
                    for n in range(min(JOIN_UP_TO, len(words) - i), 1, -1)
                    if self.names_place("".join(words[i : i + n]))
                ),
                1,
            )
            terms.append(self.term(" ".join(words[i : i + size])))
            i += size
        return terms

    def match(self, item: int, term: Term) -> tuple[str, list[str]] | None:
        """(part, reasons) for one term on one project, or None."""
        if term.places:
            return self.match_place(item, term)
        return self.match_word(item, term)

    def match_place(self, item: int, term: Term) -> tuple[str, list[str]] | None:
        roles = "".join(code for place in term.places for code in place["roles"].get(item, ()))
        if roles:
            return "named", [label for code, label in ROLE_LABELS.items() if code in roles]
        texts = self.folded[item]
        somewhere = any(form in texts["all"] for place in term.places for form in place["forms"])
        for key, label in PLACE_TEXT_FIELDS if somewhere else ():
            for place in term.places:
                if any(found_outside(texts[key], form, self.book.blockers(place)) for form in place["forms"]):
                    return "text", [label]
        word = self.match_as_word(item, term)
        if word:
            return "word", [f"{word}(語として)"]
        groups = [label for place in term.places for label in place["groups"].get(item, [])]
        if groups:
            return "group", [f"{'・'.join(dict.fromkeys(groups))}を通じて"]
        return None

    def match_as_word(self, item: int, term: Term) -> str:
        """The field in which a place term written in kanji is found as a word, outside the
        longer place names that contain it (港 in 港湾局, not in 港南区); "" when none."""
        needle = fold_text(term.text)
        if is_romaji(term.text) or KANA.fullmatch(needle):
            return ""
        texts = self.folded[item]
        if needle not in texts["all"]:
            return ""
        blockers = self.book.containing(needle)
        return next((label for key, label in WORD_FIELDS if found_outside(texts[key], needle, blockers)), "")

    def match_word(self, item: int, term: Term) -> tuple[str, list[str]] | None:
        texts, entry = self.folded[item], self.items[item]
        needle = fold_text(term.text)
        for key, label in WORD_FIELDS:
            if needle in texts[key]:
                return "named", [label]
        if in_reading(entry["k"], needle):
            return "named", ["よみ"]
        if is_romaji(term.text) and len(term.key) > 1 and term.key in entry["r"]:
            return "named", ["ローマ字"]
        return None

    def search(self, query: str, filters: dict[str, str] | None = None) -> Answer:
        """The projects every term matches, in four parts, with the reasons for each."""
        terms = self.terms(query)
        parts: dict[str, list[Hit]] = {part: [] for part in RANK}
        for item, entry in enumerate(self.items):
            if not passes(entry, filters or {}):
                continue
            found = [self.match(item, term) for term in terms]
            if any(f is None for f in found):
                continue
            part = min((f[0] for f in found if f), key=RANK.__getitem__, default="named")
            reasons = [reason for f in found if f for reason in f[1]]
            parts[part].append(Hit(item, part, list(dict.fromkeys(reasons))))
        return Answer(terms, parts["named"], parts["text"], parts["word"], parts["group"])

    def place_note(self, place: dict) -> str:
        """What a place no project names answers: its page, and what reaches it through groups
        (小布施町(長野県上高井郡):この名前を挙げる事業はありません。…); "" for a place named."""
        if place["roles"]:
            return ""
        name = place["n"] if place["kind"] == "p" else f"{place['n'][len(place['pn']) :]}({place['pn']}{place['gun']})"
        return f"{name}:この名前を挙げる事業はありません。グループを通じて含まれる事業 {len(place['groups'])}件"

    def near(self, term: Term) -> list[dict]:
        """Places a term that finds nothing may have meant: a key one letter away (大版 → 大阪)
        or one the term begins (さっぽ → 札幌); prefectures and cities first."""
        key = term.key
        if len(key) < 2:
            return []
        found: dict[str, tuple] = {}
        for candidate, places in self.by_key.items():
            how = 0 if candidate.startswith(key) else 1 if one_edit(key, candidate) else -1
            for place in places if how >= 0 else ():
                found[place["c"]] = min(found.get(place["c"], (how, place)), (how, place), key=lambda f: f[0])
        ranked = sorted(found.values(), key=lambda f: (f[0], *place_order(f[1])))
        return [place for _, place in ranked[:NEAR_LIMIT]]


KIND_ORDER = {"p": 0, "c": 1, "s": 1, "t": 2, "v": 2, "w": 3}


def place_order(place: dict) -> tuple:
    """Suggestions' order: prefectures, then cities and special wards, towns and villages,
    wards; more projects first, then by code."""
    return (KIND_ORDER[place["kind"]], -place["s"], place["c"])


FILTERS = {"year": "y", "field": "f", "bureau": "b", "pref": "g", "status": "s"}


def passes(entry: dict, filters: dict[str, str]) -> bool:
    for name, value in filters.items():
        if not value:
            continue
        have = entry[FILTERS[name]]
        if (value not in have) if isinstance(have, list) else (str(have) != value):
            return False
    return True


def _inverted(table: dict[str, list[int]]) -> dict[int, str | list[str]]:
    """{"c": [1, 2], "p": [2]} → {1: "c", 2: "cp"}; {"全国道府県": [4]} → {4: ["全国道府県"]}."""
    out: dict[int, list[str]] = {}
    for code, items in table.items():
        for item in items:
            out.setdefault(item, []).append(code)
    return out


def _joined(value: object) -> str:
    return " ".join(value) if isinstance(value, list) else str(value)


# --- the answer for the command line ------------------------------------------------------

PART_TITLES = {
    "named": "{n}件",
    "text": "事業名・事業内容に名前がある事業 {n}件",
    "word": "場所の名前を語として含む事業 {n}件",
    "group": "ほかにグループを通じて含まれる事業 {n}件",
}


def suggestions(index: Index, answer: Answer) -> dict[str, list[dict]]:
    """Term text -> the places it may have meant, for an answer that found nothing."""
    if any(getattr(answer, part) for part in PART_TITLES):
        return {}
    return {t.text: near for t in answer.terms if not t.places and (near := index.near(t))}


def answer_json(index: Index, query: str, answer: Answer) -> dict:
    def hit(h: Hit) -> dict:
        item = index.items[h.item]
        return {"fiscal_year": item["y"], "no": item["n"], "name": item["t"], "path": item["u"], "reasons": h.reasons}

    def place(p: dict, t: Term | None = None) -> dict:
        named = {"label": t.label(p), "former": t.former.get(p["c"], "")} if t else {}
        return {"code": p["c"], "name": p["n"], "path": p["u"], "count": p["s"], "note": index.place_note(p)} | named

    near = suggestions(index, answer)
    return {
        "query": query,
        "terms": [
            {
                "term": t.text,
                "places": [place(p, t) for p in t.places],
                "ambiguous": t.ambiguous,
                "spelled": t.spelled,
                "near": [place(p) for p in near.get(t.text, [])],
            }
            for t in answer.terms
        ],
        **{part: [hit(h) for h in getattr(answer, part)] for part in PART_TITLES},
    }


def term_line(term: Term) -> str:
    places = "、".join(f"{term.label(p)} ({p['u'].removesuffix('index.html')})" for p in term.places)
    how = "一覧の表記: " if term.spelled else "複数の場所に当たります: " if term.ambiguous else ""
    return f"{term.text}: {how}{places}"


def answer_lines(index: Index, answer: Answer) -> list[str]:
    lines = []
    near = suggestions(index, answer)
    for term in answer.terms:
        if term.places:
            lines.append(term_line(term))
            lines += [f"  {note}" for p in term.places if (note := index.place_note(p))]
        elif term.text in near:
            lines.append(f"{term.text}: もしかして " + "、".join(p["n"] for p in near[term.text]))
    for part, title in PART_TITLES.items():
        hits = getattr(answer, part)
        if part != "named" and not hits:
            continue
        lines.append(title.format(n=len(hits)))
        for h in hits:
            item = index.items[h.item]
            lines.append(f"  {item['y']} No.{item['n']} {item['t']} — {'・'.join(h.reasons)}")
    return lines
