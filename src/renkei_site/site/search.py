"""The client-side search index: one script file, written at build time.

Place recognition is decided here, once: every place the data names (and every
prefecture) carries the keys it answers to — kanji with and without its suffix
(京都府, 京都), hiragana (katakana and half width fold to it), Hepburn romaji
folded for long vowels (kyoto, kyouto, kyōto) — the projects that name it and
how, and the longer place names its text forms must not be found inside
(京都 in 東京都).  The browser (static/search.js) and the command line
(site/query.py) fold a query term the same simple way and look it up; neither
does any dictionary work of its own.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from ..model import Catalogue, names_place
from ..records import Project
from ..resolve.readings import fold_romaji
from ..resolve.reference import Place, Reference
from .html import cell_text
from .markdown import plain_text
from .paths import prefecture_path, project_path
from .query import fold_text, is_text_form

ROLE_CODES = {"current": "c", "past": "p", "remarks": "m"}
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


def short_name(name: str) -> str:
    """The name without its suffix (京都府 → 京都, 川崎市 → 川崎); 北海道 and one-letter names stay whole."""
    if len(name) > 1 and name[-1] in SUFFIX_READINGS:
        return name[:-1]
    return name


def place_keys(place: Place, reference: Reference) -> list[str]:
    """Every folded form a query term may take to name the place."""
    names = {place.name, short_name(place.name), reference.local_name(place), reference.full_name(place)}
    kana = fold_text(place.kana)
    kanas = {kana}
    for reading in SUFFIX_READINGS.get(place.name[-1], ()) if len(place.name) > 1 else ():
        if kana.endswith(reading) and len(kana) > len(reading):
            kanas.add(kana[: -len(reading)])
    base = fold_romaji(place.romaji.split("-")[0])
    romaji = {fold_romaji(place.romaji), base}
    if place.is_prefecture:
        romaji.add(base + ROMAJI_SUFFIX.get(place.name[-1], ""))
    keys = {fold_text(n) for n in names} | kanas | romaji
    return sorted(k for k in keys if k)


def text_forms(place: Place, reference: Reference) -> list[str]:
    """The forms looked for in names, descriptions and remarks: the keys in kanji of two letters
    or more (津 would be found in 津波).  site/query.py and static/search.js take them from the keys
    by the same rule."""
    return [key for key in place_keys(place, reference) if is_text_form(key)]


class Blockers:
    """Longer place names (and 郡 names) of the whole reference list, found by any substring."""

    def __init__(self, reference: Reference):
        self.reference = reference
        self.owners: dict[str, set[str]] = defaultdict(set)  # name -> prefecture codes it belongs to
        for place in reference.places.values():
            for name in (place.name, reference.local_name(place), place.gun):
                if name:
                    self.owners[name].add(place.pref_code if not place.is_prefecture else "")
        self.containing: dict[str, set[str]] = defaultdict(set)
        for name in self.owners:
            for start in range(len(name)):
                for end in range(start + 1, len(name) + 1):
                    self.containing[name[start:end]].add(name)

    def of(self, place: Place) -> list[str]:
        """Names that contain a text form of the place but are not it (nor, for a prefecture,
        one of its own municipalities or 郡): 東京都 and 京都郡 for 京都府."""
        own = {place.name, self.reference.local_name(place)}
        found = set()
        for form in text_forms(place, self.reference):
            for name in self.containing.get(form, ()):
                if name in own or name == form:
                    continue
                if place.is_prefecture and self.owners[name] == {place.pref_code}:
                    continue
                found.add(fold_text(name))
        return sorted(found)


def place_entries(cat: Catalogue, index_of: dict[str, int]) -> list[dict[str, object]]:
    """The places the data names, and every prefecture: keys, page, projects naming them and how."""
    reference = cat.reference
    roles: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    groups: dict[str, dict[int, list[str]]] = defaultdict(dict)
    for project in cat.all_projects:
        item = index_of[project.key]
        for m in project.mentions:
            if not names_place(m):
                continue
            code = ROLE_CODES[m.role]
            if m.code in reference.places and not reference.places[m.code].is_prefecture:
                roles[m.code][item].add(code)
            roles[reference.prefecture_by_code[m.pref_code].code][item].add(code)
        for pref, involvement in cat.involvement(project).items():
            if involvement.how == "group":
                groups[reference.prefecture_by_code[pref].code][item] = list(involvement.detail)
    blockers = Blockers(reference)
    codes = sorted({p.code for p in reference.prefectures} | set(roles))
    return [
        place_entry(reference.places[code], reference, roles[code], groups.get(code, {}), blockers) for code in codes
    ]


def place_entry(place: Place, reference: Reference, roles, groups, blockers: Blockers) -> dict[str, object]:
    entry: dict[str, object] = {
        "c": place.code,
        "n": reference.full_name(place),
        "p": place.pref_code,
        "k": place_keys(place, reference),
        "b": blockers.of(place),
        "x": {
            code: sorted(item for item, codes in roles.items() if code in codes)
            for code in sorted({*"".join(map("".join, roles.values()))})
        },
    }
    if place.is_prefecture:  # a municipality's page is municipalities/<code>/ (query.place_path)
        entry["u"] = prefecture_path(place)
    if groups:
        by_label: dict[str, list[int]] = defaultdict(list)
        for item, labels in sorted(groups.items()):
            for label in labels:
                by_label[label].append(item)
        entry["v"] = dict(by_label)
    return entry


def partner_words(project: Project) -> list[str]:
    """Partner wording that is not a place (groups, bodies, text), for word search."""
    return list(dict.fromkeys(m.name or m.surface for m in project.mentions if m.kind in ("group", "other", "text")))


def entry(cat: Catalogue, project: Project) -> dict[str, object]:
    involvement = cat.involvement(project)
    note = cat.notes.source("project", project.key)
    return ({"e": plain_text(note)} if note else {}) | {
        "u": project_path(project),
        "y": project.fiscal_year,
        "n": project.no,
        "t": project.name,
        "b": project.bureau,
        "f": project.field,
        "s": project.status,
        "d": project.description,
        "m": cell_text(project.remarks),
        "o": partner_words(project),
        "k": fold_text(project.kana),
        "r": fold_romaji(project.romaji),
        "g": sorted(pref for pref, inv in involvement.items() if inv.current),
    }


def ordered(projects: Iterable[Project]) -> list[Project]:
    """Latest year first, then the list's order."""
    return sorted(projects, key=lambda p: (-p.fiscal_year, p.no))


def index_data(cat: Catalogue) -> dict[str, object]:
    projects = ordered(cat.all_projects)
    index_of = {p.key: i for i, p in enumerate(projects)}
    return {
        "years": [y.fiscal_year for y in cat.years],
        "latest": cat.latest.fiscal_year,
        "fields": cat.reference.fields,
        "bureaus": sorted({p.bureau for p in cat.all_projects}),
        "prefs": [[p.pref_code, p.name] for p in cat.reference.prefectures],
        "items": [entry(cat, p) for p in projects],
        "places": place_entries(cat, index_of),
    }


def index_script(cat: Catalogue) -> bytes:
    """A script that sets ``window.RENKEI_SEARCH``; safe to load from disk, no fetch needed."""
    text = json.dumps(index_data(cat), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.RENKEI_SEARCH={text};\n".encode()
