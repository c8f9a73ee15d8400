"""The client-side search index: one script file, written at build time, beside the place
dictionary every year's site shares (site/placebook.py: place-dictionary.js).

Place recognition is decided from the reference table, once: the dictionary gives every place the
keys it answers to, and the browser (static/search.js) and the command line (site/query.py) derive
them by the same rules.  This index carries what the year's data says: the projects, and for each
place the data names (and every prefecture) the projects that name it and how and the one count
of model.Catalogue.place_count; the groups with their projects and their stated members (as runs
of the dictionary's codes); and the list's own spellings of places (文教区 for 文京区), so a
corrected surface copied from the PDF still finds its project.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from ..model import Catalogue, names_place, ordered
from ..records import Project
from ..resolve.readings import fold_romaji
from .html import cell_text
from .markdown import plain_text
from .paths import project_path
from .placebook import dictionary_data, fold_text, former_keys_of, keys_of, short_name
from .query import Index

ROLE_CODES = {"current": "c", "past": "p", "remarks": "m"}
KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々〆ヵヶ]+")


def place_entries(cat: Catalogue, index_of: dict[str, int]) -> dict[str, dict[str, object]]:
    """The places the data names, and every prefecture: the projects naming them and how, the
    groups through which projects reach a prefecture, and the place's count."""
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
    codes = sorted({p.code for p in reference.prefectures} | set(roles))
    return {code: place_entry(cat, code, roles[code], groups.get(code, {})) for code in codes}


def place_entry(cat: Catalogue, code: str, roles, groups) -> dict[str, object]:
    entry: dict[str, object] = {
        "s": cat.place_count(code),
        "x": {
            role: sorted(item for item, codes in roles.items() if role in codes)
            for role in sorted({*"".join(map("".join, roles.values()))})
        },
    }
    if groups:
        by_label: dict[str, list[int]] = defaultdict(list)
        for item, labels in sorted(groups.items()):
            for label in labels:
                by_label[label].append(item)
        entry["v"] = dict(by_label)
    return entry


def group_entries(cat: Catalogue, index_of: dict[str, int]) -> dict[str, dict[str, object]]:
    """Each group some project names as a current partner: those projects, and its members."""
    dictionary = sorted(cat.reference.places)
    position = {code: i for i, code in enumerate(dictionary)}
    out = {}
    for label, projects in sorted(cat.by_current_group.items()):
        members = sorted(cat.reference.groups[label].members, key=position.__getitem__)
        out[label] = {"i": sorted(index_of[p.key] for p in projects), "m": runs_of(members, position)}
    return out


def runs_of(members: list[str], position: dict[str, int]) -> list[list[str]]:
    runs: list[list[str]] = []
    for code in members:
        if runs and position[runs[-1][1]] == position[code] - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return runs


def spellings(cat: Catalogue) -> dict[str, list[str]]:
    """The list's own spellings of the places it names that are no key of that place nor of its
    former municipalities (文教区 for 文京区, a misspelt 郡), with and without the prefecture and
    the suffix."""
    reference = cat.reference
    out: dict[str, set[str]] = defaultdict(set)
    keys: dict[str, set[str]] = {}
    for project in cat.all_projects:
        for m in project.mentions:
            if m.kind not in ("prefecture", "municipality") or m.code not in reference.places or not m.surface:
                continue
            if m.code not in keys:
                keys[m.code] = set(keys_of(reference, m.code)) | set(former_keys_of(reference, m.code))
            pref = reference.prefecture_by_code[m.pref_code].name
            surface = m.surface.removeprefix(pref) if m.kind == "municipality" else m.surface
            bare = surface.removeprefix(reference.places[m.code].gun) if reference.places[m.code].gun else surface
            for form in {m.surface, surface, short_name(surface), bare, short_name(bare)}:
                key = "".join(fold_text(form).split())
                if len(key) > 1 and key not in keys[m.code]:
                    out[key].add(m.code)
    return {key: sorted(codes) for key, codes in sorted(out.items())}


def reading_words(name: str, kana: str) -> str:
    """The reading with a space where a word of the name starts or ends: kanji runs are words,
    and so is each run of anything else (kana, letters, signs), which the reading keeps as it is
    (東京の観光 → とうきょう の かんこう)."""
    folded, out, at = fold_text(name), [], 0
    for run in (r for part in KANJI.split(folded) for r in part.split()):
        found = kana.find(run, at)
        if found < 0:  # read otherwise (a digit, a sign): no word edge here
            continue
        out += [kana[at:found], run]
        at = found + len(run)
    out.append(kana[at:])
    return " ".join(piece for piece in out if piece)


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
        "k": reading_words(project.name, fold_text(project.kana)),
        "r": fold_romaji(project.romaji),
        "g": sorted(pref for pref, inv in involvement.items() if inv.current),
    }


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
        "groups": group_entries(cat, index_of),
        "spellings": spellings(cat),
    }


def index_script(cat: Catalogue) -> bytes:
    """A script that sets ``window.RENKEI_SEARCH``; safe to load from disk, no fetch needed."""
    text = json.dumps(index_data(cat), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.RENKEI_SEARCH={text};\n".encode()


def query_index(cat: Catalogue) -> Index:
    """The index the command line answers from: the same data as the site's two script files."""
    return Index(index_data(cat), dictionary_data(cat.reference))
