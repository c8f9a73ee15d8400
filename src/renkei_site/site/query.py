"""Answer a search query from the search index: the same matching as static/search.js.

A query is split into terms, all of which must match (AND).  A term whose folded
form is a key of a place names that place: it matches the projects that name the
place (for a prefecture, also any municipality in it) as a current or past
partner or in 備考, then the projects whose name, description or remarks carry the
place's name outside any longer place name (京都 is not in 東京都), then — kept
apart — the projects that include the prefecture only through a group.  Any
other term is a word, matched in the text with width, kana and long-vowel folding.

Keep this file and static/search.js in step: tests run the same queries through
both and compare.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..resolve.readings import fold_romaji, hiragana
from .paths import municipality_path

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
RANK = {"named": 3, "text": 2, "group": 1}
SPLIT = re.compile(r"[\s\u3000]+")


SMALL_KANA = str.maketrans("ゖゕ", "けか")  # 鎌ヶ谷 is 鎌ケ谷


def fold_text(text: str) -> str:
    """NFKC, lower case, katakana as hiragana (small ヶ as け)."""
    return hiragana(text).lower().translate(SMALL_KANA)


def is_romaji(term: str) -> bool:
    """Latin letters, digits and marks only once accents and macrons are dropped (kyōto)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", term))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).isascii()


KANA = re.compile(r"[ぁ-ゖー]+")


def is_text_form(key: str) -> bool:
    """A place key looked for in text: two letters or more, not romaji, not all kana."""
    return len(key) > 1 and not key.isascii() and not KANA.fullmatch(key)


def term_key(term: str) -> str:
    return fold_romaji(term) if is_romaji(term) else fold_text(term)


def found_outside(text: str, form: str, blockers: list[str]) -> bool:
    """Whether ``form`` occurs in ``text`` somewhere not inside an occurrence of a blocker."""
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


@dataclass
class Term:
    text: str
    key: str
    places: list[dict] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        """Names places in more than one prefecture (府中: 東京都府中市 and 広島県府中市)."""
        return len({place["p"] for place in self.places}) > 1


@dataclass
class Hit:
    item: int
    part: str  # named / text / group
    reasons: list[str]


@dataclass
class Answer:
    terms: list[Term]
    named: list[Hit]
    text: list[Hit]
    group: list[Hit]


class Index:
    """The search index (site/search.py's index_data), ready to answer queries."""

    def __init__(self, data: dict):
        self.data = data
        self.items = data["items"]
        self.folded = [{key: fold_text(_joined(item.get(key, ""))) for key, _ in WORD_FIELDS} for item in self.items]
        self.by_key: dict[str, list[dict]] = {}
        for place in data["places"]:
            place["roles"] = _inverted(place["x"])
            place["groups"] = _inverted(place.get("v", {}))
            place["u"] = place.get("u") or municipality_path(place["c"])
            place["forms"] = [key for key in place["k"] if is_text_form(key)]
            for key in place["k"]:
                self.by_key.setdefault(key, []).append(place)

    def terms(self, query: str) -> list[Term]:
        terms = []
        for text in (t for t in SPLIT.split(query.strip()) if t):
            key = term_key(text)
            if key:
                terms.append(Term(text, key, self.by_key.get(key, [])))
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
        for key, label in PLACE_TEXT_FIELDS:
            for place in term.places:
                if any(found_outside(texts[key], form, place["b"]) for form in place["forms"]):
                    return "text", [label]
        groups = [label for place in term.places for label in place["groups"].get(item, [])]
        if groups:
            return "group", [f"{'・'.join(dict.fromkeys(groups))}を通じて"]
        return None

    def match_word(self, item: int, term: Term) -> tuple[str, list[str]] | None:
        texts, entry = self.folded[item], self.items[item]
        needle = fold_text(term.text)
        for key, label in WORD_FIELDS:
            if needle in texts[key]:
                return "named", [label]
        if needle in entry["k"]:
            return "named", ["よみ"]
        if is_romaji(term.text) and len(term.key) > 1 and term.key in entry["r"]:
            return "named", ["ローマ字"]
        return None

    def search(self, query: str, filters: dict[str, str] | None = None) -> Answer:
        """The projects every term matches, in three parts, with the reasons for each."""
        terms = self.terms(query)
        parts: dict[str, list[Hit]] = {"named": [], "text": [], "group": []}
        for item, entry in enumerate(self.items):
            if not passes(entry, filters or {}):
                continue
            found = [self.match(item, term) for term in terms]
            if any(f is None for f in found):
                continue
            part = min((f[0] for f in found if f), key=RANK.__getitem__, default="named")
            reasons = [reason for f in found if f for reason in f[1]]
            parts[part].append(Hit(item, part, list(dict.fromkeys(reasons))))
        return Answer(terms, parts["named"], parts["text"], parts["group"])


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
    "group": "ほかにグループを通じて含まれる事業 {n}件",
}


def answer_json(index: Index, query: str, answer: Answer) -> dict:
    def hit(h: Hit) -> dict:
        item = index.items[h.item]
        return {"fiscal_year": item["y"], "no": item["n"], "name": item["t"], "path": item["u"], "reasons": h.reasons}

    return {
        "query": query,
        "terms": [
            {
                "term": t.text,
                "places": [{"code": p["c"], "name": p["n"], "path": p["u"]} for p in t.places],
                "ambiguous": t.ambiguous,
            }
            for t in answer.terms
        ],
        **{part: [hit(h) for h in getattr(answer, part)] for part in PART_TITLES},
    }


def answer_lines(index: Index, answer: Answer) -> list[str]:
    lines = []
    for term in answer.terms:
        if term.places:
            places = "、".join(f"{p['n']} ({p['u'].removesuffix('index.html')})" for p in term.places)
            lines.append(f"{term.text}: {'複数の場所に当たります: ' if term.ambiguous else ''}{places}")
    for part, title in PART_TITLES.items():
        hits = getattr(answer, part)
        if part != "named" and not hits:
            continue
        lines.append(title.format(n=len(hits)))
        for h in hits:
            item = index.items[h.item]
            lines.append(f"  {item['y']} No.{item['n']} {item['t']} — {'・'.join(h.reasons)}")
    return lines
