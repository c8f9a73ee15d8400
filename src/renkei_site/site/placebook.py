"""The place dictionary the search knows: every prefecture, municipality and designated-city
ward of the reference table, as one script file shared by every page (place-dictionary.js) and
the spellings each place answers to.

The file holds only what the reference table says (code, kind, name, 郡, city, kana, romaji),
so it is the same for every year's site and the browser keeps it cached; the spellings are
derived from it by the rules below, here and in static/search.js alike (tests compare the two
on every key): kanji with and without its suffix and 郡, with its prefecture (and its city, for
a ward); hiragana with and without the suffix's reading (katakana and half width fold to it);
Hepburn romaji folded for long vowels, with and without the suffix (sapporo, sapporoshi), the
English forms people write (sapporocity, kyotoprefecture — a query's separate words are
joined when together they name a place: site/query.py) and Kunrei-shiki (hukuoka, gihu, tiba).

The row of a municipality that took others in (data/reference/former_municipalities.csv) ends
with their names, space separated; each former name answers to its successor, with and without
旧 and its prefecture (浦和市, 旧浦和市, 埼玉県浦和市 → さいたま市), and is labelled so: the
answer says 「浦和市 → 埼玉県さいたま市(旧市名)」, beside any place that has the name today.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from ..resolve.readings import fold_romaji, hiragana

KIND_LETTERS = {"prefecture": "p", "city": "c", "special_ward": "s", "town": "t", "village": "v", "ward": "w"}
SUFFIX_READINGS = {
    "都": ("と",),
    "府": ("ふ",),
    "県": ("けん",),
    "市": ("し",),
    "町": ("まち", "ちょう"),
    "村": ("むら", "そん"),
    "区": ("く",),
}
ROMAJI_SUFFIX = {"都": "to", "府": "fu", "県": "ken", "道": ""}
ENGLISH = {
    "p": ("prefecture",),
    "c": ("city",),
    "s": ("city", "ward"),
    "t": ("town",),
    "v": ("village",),
    "w": ("ward",),
}
KUNREI = {"tsu": "tu", "shi": "si", "sh": "sy", "chi": "ti", "ch": "ty", "fu": "hu", "ji": "zi", "j": "zy"}
HEPBURN = re.compile("|".join(KUNREI))  # in this order: shi before sh
SYLLABLE_TABLE = (  # hiragana:Hepburn, for the romaji of a place's kana (static/search.js: the same string)
    "あ:a い:i う:u え:e お:o か:ka き:ki く:ku け:ke こ:ko さ:sa し:shi す:su せ:se そ:so た:ta ち:chi つ:tsu "
    "て:te と:to な:na に:ni ぬ:nu ね:ne の:no は:ha ひ:hi ふ:fu へ:he ほ:ho ま:ma み:mi む:mu め:me も:mo や:ya "
    "ゆ:yu よ:yo ら:ra り:ri る:ru れ:re ろ:ro わ:wa ゐ:i ゑ:e を:o ん:n が:ga ぎ:gi ぐ:gu げ:ge ご:go ざ:za じ:ji "
    "ず:zu ぜ:ze ぞ:zo だ:da ぢ:ji づ:zu で:de ど:do ば:ba び:bi ぶ:bu べ:be ぼ:bo ぱ:pa ぴ:pi ぷ:pu ぺ:pe ぽ:po "
    "ぁ:a ぃ:i ぅ:u ぇ:e ぉ:o ゔ:vu ー:"
)
SYLLABLES = dict(pair.split(":") for pair in SYLLABLE_TABLE.split())
Y_SOUNDS = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
KANA = re.compile(r"[ぁ-ゖー]+")
FORMER_LABELS = {"市": "旧市名", "町": "旧町名", "村": "旧村名"}


def fold_text(text: str) -> str:
    """NFKC, lower case, katakana as hiragana (small ヶ as け: 鎌ヶ谷 is 鎌ケ谷; str.replace is far
    faster than str.translate with a table)."""
    return hiragana(text).lower().replace("ゖ", "け").replace("ゕ", "か")


def is_text_form(key: str) -> bool:
    """A place key looked for in text: two letters or more, not romaji, not all kana."""
    return len(key) > 1 and not key.isascii() and not KANA.fullmatch(key)


def short_name(name: str) -> str:
    """The name without its suffix (京都府 → 京都, 川崎市 → 川崎); 北海道 and one-letter names stay whole."""
    if len(name) > 1 and name[-1] in SUFFIX_READINGS:
        return name[:-1]
    return name


def kunrei(key: str) -> str:
    """A folded Hepburn key in Kunrei-shiki (fukushima → hukusima, chiba → tiba, gifu → gihu)."""
    return HEPBURN.sub(lambda m: KUNREI[m.group()], key)


def kana_romaji(kana: str) -> str:
    """Hepburn from hiragana (やまつり → yamatsuri, きょうと → kyouto, さっぽろ → sapporo), so a
    place answers to the romaji of each of its readings (a ward with its city's: sapporoshichuoku)."""
    out: list[str] = []
    double = False
    for char in kana:
        if char == "っ":
            double = True
            continue
        if char in Y_SOUNDS and out:
            stem = out.pop()
            stem = stem[:-1] if stem.endswith("i") else stem
            out.append(stem + ("" if stem.endswith(("sh", "ch", "j")) else "y") + Y_SOUNDS[char])
            continue
        syllable = SYLLABLES.get(char, char)
        if double and syllable:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double = False
        out.append(syllable)
    return "".join(out)


# --- the file, made at build time --------------------------------------------------------------


def row_of(place) -> list[str]:
    """A place's row in the dictionary: [code, kind letter, name, 郡, city's code (a ward), kana, romaji]."""
    return [place.code, KIND_LETTERS[place.kind], place.name, place.gun, place.parent_code, place.kana, place.romaji]


def former_names(reference) -> dict[str, str]:
    """Successor's code -> the names of the former municipalities it took in, space separated."""
    names: dict[str, set[str]] = defaultdict(set)
    for former in reference.former:
        names[former.successor_code].add(former.name)
    return {code: " ".join(sorted(found)) for code, found in names.items()}


def dictionary_data(reference) -> dict[str, object]:
    """Every place of the reference table, by code; a successor's row ends with its former names."""
    formers = former_names(reference)
    places = sorted(reference.places.values(), key=lambda p: p.code)
    return {"places": [row_of(p) + ([formers[p.code]] if p.code in formers else []) for p in places]}


def former_keys_of(reference, code: str) -> list[str]:
    """The keys by which a place is named through its former municipalities' names."""
    pref = reference.prefecture_by_code[reference.places[code].pref_code].name
    return sorted({key for f in reference.former if f.successor_code == code for key in former_keys(f.name, pref)})


def keys_of(reference, code: str) -> list[str]:
    """The keys of one place, as PlaceBook gives them (without making the whole book)."""
    place = reference.places[code]
    city = reference.places.get(place.parent_code)
    pref = reference.prefecture_by_code[place.pref_code]
    return place_keys(row_of(place), row_of(city) if city else None, row_of(pref))


def dictionary_script(reference) -> bytes:
    """A script that sets ``window.RENKEI_PLACES``; loaded from disk like search-index.js."""
    text = json.dumps(dictionary_data(reference), ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.RENKEI_PLACES={text};\n".encode()


# --- the places, ready to be looked up (static/search.js: PlaceBook) ----------------------------


def place_keys(row: list[str], city: list[str] | None, pref: list[str]) -> list[str]:
    """Every folded form a query term may take to name the place of a dictionary row."""
    kind, name, gun, kana, romaji = row[1], row[2], row[3], row[5], row[6]
    local = city[2] + name if city else name
    names = [name, short_name(name), local]
    if kind != "p":
        names.append(pref[2] + local)
    if gun:
        names += [gun + name, pref[2] + gun + name]
    kanas = [kana]
    for reading in SUFFIX_READINGS.get(name[-1], ()) if len(name) > 1 else ():
        if kana.endswith(reading) and len(kana) > len(reading):
            kanas.append(kana[: -len(reading)])
    if city:
        kanas.append(city[5] + kana)
    base = fold_romaji(romaji.split("-")[0])  # the table's romaji agrees with its kana (tests/test_reference.py)
    romajis = [fold_romaji(romaji), base] + [fold_romaji(kana_romaji(k)) for k in kanas]
    romajis += [base + word for word in ENGLISH[kind]]
    if kind == "p":
        romajis.append(base + ROMAJI_SUFFIX.get(name[-1], ""))
    if city:
        city_base = fold_romaji(city[6].split("-")[0])
        romajis += [city_base + r for r in romajis]
    romajis += [kunrei(r) for r in romajis]
    keys = {fold_text(n) for n in names} | {fold_text(k) for k in kanas} | set(romajis)
    return sorted(k for k in keys if k)


def former_keys(name: str, pref: str) -> list[str]:
    """The folded forms a former municipality's name takes: 浦和市, 旧浦和市, 埼玉県浦和市, 埼玉県旧浦和市."""
    return sorted({fold_text(before + old + name) for before in ("", pref) for old in ("", "旧")})


def former_label(name: str, place: dict) -> str:
    """A place named by a former name, said so: 浦和市 → 埼玉県さいたま市(旧市名)."""
    return f"{name} → {place['n']}({FORMER_LABELS.get(name[-1], '旧名')})"


class PlaceBook:
    """The dictionary's places as search entries: code, full name, prefecture, page, keys; and the
    former municipalities' names, each an entry naming its successor (``former_by_key``)."""

    def __init__(self, data: dict):
        rows = data["places"]
        by_code = {row[0]: row for row in rows}
        prefs = {row[0][:2]: row for row in rows if row[1] == "p"}
        self.places: list[dict] = []
        self.by_code: dict[str, dict] = {}
        self.by_key: dict[str, list[dict]] = defaultdict(list)
        self.owners: dict[str, set[str]] = defaultdict(set)  # folded name -> prefectures ("" for a prefecture's)
        for row in rows:
            code, kind, name, gun = row[0], row[1], row[2], row[3]
            city, pref = by_code.get(row[4]), prefs[code[:2]]
            local = city[2] + name if city else name
            place = {
                "c": code,
                "kind": kind,
                "p": code[:2],
                "n": name if kind == "p" else pref[2] + local,
                "own": [fold_text(name), fold_text(local)],
                "parent": row[4],
                "u": f"prefectures/{pref[6].lower()}/index.html"
                if kind == "p"
                else f"municipalities/{code}/index.html",
                "k": place_keys(row, city, pref),
                "roles": {},
                "groups": {},
                "s": 0,
                "gun": gun,
                "pn": pref[2],
            }
            place["forms"] = [key for key in place["k"] if is_text_form(key)]
            self.places.append(place)
            self.by_code[code] = place
            for key in place["k"]:
                self.by_key[key].append(place)
            for text in (name, local, gun):
                if text:
                    self.owners[fold_text(text)].add("" if kind == "p" else code[:2])
        self._names = sorted(self.owners)
        self._containing: dict[str, list[str]] = {}
        self.formers: list[dict] = []
        self.former_by_key: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            for name in row[7].split(" ") if len(row) > 7 else ():
                self.add_former(name, self.by_code[row[0]])

    def add_former(self, name: str, successor: dict) -> None:
        entry = {
            "f": name,
            "to": successor,
            "n": former_label(name, successor),
            "k": former_keys(name, successor["pn"]),
        }
        self.formers.append(entry)
        for key in entry["k"]:
            self.former_by_key[key].append(entry)

    def blockers(self, place: dict) -> list[str]:
        """Names that contain a text form of the place but are not it (nor, for a prefecture,
        one of its own municipalities or 郡): 東京都 and 京都郡 for 京都府; worked out once."""
        if "b" not in place:
            found = set()
            for form in place["forms"]:
                for name in self._names:
                    if form not in name or name == form or name in place["own"]:
                        continue
                    if place["kind"] == "p" and self.owners[name] == {place["p"]}:
                        continue
                    found.add(name)
            place["b"] = sorted(found)
        return place["b"]

    def containing(self, text: str) -> list[str]:
        """Place names (and 郡) longer than ``text`` that contain it; worked out once per text."""
        if text not in self._containing:
            self._containing[text] = [name for name in self._names if text in name and name != text]
        return self._containing[text]
