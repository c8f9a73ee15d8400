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
from .exports.woven import Segments, json_member, json_split, rows_split, woven_file
from .html import cell_text
from .markdown import plain_text
from .paths import SEARCH_INDEX, project_path
from .placebook import dictionary_data, fold_text, former_keys_of, keys_of, short_name
from .query import Index

COMPACT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
SCRIPT = "window.RENKEI_SEARCH="
ROLE_CODES = {"current": "c", "past": "p", "remarks": "m"}
KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々〆ヵヶ]+")


def place_entries(cat: Catalogue, projects: list[Project]) -> dict[str, dict[str, object]]:
    """The places the data names, and every prefecture: the projects naming them and how, the
    groups through which projects reach a prefecture, and the place's count.  ``projects`` in
    the index's order: each list of items is made in ascending order."""
    reference = cat.reference
    code_of = {p.pref_code: p.code for p in reference.prefectures}
    roles: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))  # code -> role -> items
    via: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))  # code -> group -> items
    named_by: dict[tuple[str, str, str, str], tuple[tuple[str, str], ...]] = {}  # a mention's (place, role)s
    for item, project in enumerate(projects):
        named: set[tuple[str, str]] = set()
        for m in project.mentions:
            key = (m.kind, m.code, m.pref_code, m.role)
            if key not in named_by:
                named_by[key] = places_named(reference, m)
            named.update(named_by[key])
        for code, role in named:
            roles[code][role].append(item)
        for pref, involvement in cat.involvement(project).items():
            if involvement.how == "group":
                for label in involvement.detail:
                    via[code_of[pref]][label].append(item)
    codes = sorted(code_of.values() | roles.keys())
    return {code: place_entry(cat.place_count(code), roles[code], via.get(code)) for code in codes}


def places_named(reference, m) -> tuple[tuple[str, str], ...]:
    """(place code, role letter) of what a mention names: the place (not a prefecture) and its
    prefecture; nothing when it names no place."""
    if not names_place(m):
        return ()
    role = ROLE_CODES[m.role]
    pref = (reference.prefecture_by_code[m.pref_code].code, role)
    if m.code in reference.places and not reference.places[m.code].is_prefecture:
        return ((m.code, role), pref)
    return (pref,)


def place_entry(count: int, roles: dict[str, list[int]], via: dict[str, list[int]] | None) -> dict[str, object]:
    entry: dict[str, object] = {"s": count, "x": dict(roles)}
    if via:
        entry["v"] = dict(via)
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
    named = {(m.kind, m.code, m.pref_code, m.surface) for project in cat.all_projects for m in project.mentions}
    for kind, code, pref_code, surface in named:  # each distinct spelling once (the result is sets)
        if kind not in ("prefecture", "municipality") or code not in reference.places or not surface:
            continue
        if code not in keys:
            keys[code] = set(keys_of(reference, code)) | set(former_keys_of(reference, code))
        for key in spelling_keys(reference, kind, code, pref_code, surface):
            if key not in keys[code]:
                out[key].add(code)
    return {key: sorted(codes) for key, codes in sorted(out.items())}


def spelling_keys(reference, kind: str, code: str, pref_code: str, surface: str) -> set[str]:
    """The search keys of one spelling: whole, without its prefecture, its 郡 and its suffix."""
    pref = reference.prefecture_by_code[pref_code].name
    surface, whole = (surface.removeprefix(pref) if kind == "municipality" else surface), surface
    gun = reference.places[code].gun
    bare = surface.removeprefix(gun) if gun else surface
    keys = ("".join(fold_text(form).split()) for form in {whole, surface, short_name(surface), bare, short_name(bare)})
    return {key for key in keys if len(key) > 1}


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


def item_of(cat: Catalogue, project: Project) -> dict[str, object]:
    """A project's entry in the index, but the note's text ("e": note_member puts it in)."""
    involvement = cat.involvement(project)
    return {
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


def note_text(cat: Catalogue, project: Project) -> str | None:
    """The note on a project as the index searches it (plain text), or None when there is none."""
    note = cat.notes.source("project", project.key)
    return plain_text(note) if note else None


def notes_free_data(cat: Catalogue) -> dict[str, object]:
    """The index without the notes: what a part keeps between builds (parts.py)."""
    projects = ordered(cat.all_projects)
    index_of = {p.key: i for i, p in enumerate(projects)}
    return {
        "years": [y.fiscal_year for y in cat.years],
        "latest": cat.latest.fiscal_year,
        "fields": cat.reference.fields,
        "bureaus": sorted({p.bureau for p in cat.all_projects}),
        "prefs": [[p.pref_code, p.name] for p in cat.reference.prefectures],
        "items": [item_of(cat, p) for p in projects],
        "places": place_entries(cat, projects),
        "groups": group_entries(cat, index_of),
        "spellings": spellings(cat),
    }


def index_data(cat: Catalogue) -> dict[str, object]:
    """The whole index, the notes too (what `renkei-site search` answers from)."""
    data = notes_free_data(cat)
    notes = [note_text(cat, p) for p in ordered(cat.all_projects)]
    data["items"] = [
        item if note is None else {"e": note} | item for item, note in zip(data["items"], notes, strict=True)
    ]
    return data


def script_safe(text: str) -> str:
    """JSON text safe inside a script: no "</script>", no line separators old engines refuse."""
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def index_part(cat: Catalogue) -> Segments:
    """search-index.js around its notes: the script, each item cut where its note's text goes
    (the escaping of script_safe, a character at a time, is the same on the pieces)."""
    data = notes_free_data(cat)
    items = data.pop("items")
    head, tail = json_split(data, "items", COMPACT)
    pieces = list(rows_split(items, "e", COMPACT))
    pieces[0] = f'{SCRIPT}{head},"items":{pieces[0]}'
    pieces[-1] = f"{pieces[-1]},{tail};\n"
    return tuple(map(script_safe, pieces))


def note_member(cat: Catalogue, project: Project) -> str:
    """What goes into a project's item: its note's text as "e", or only the separator."""
    note = note_text(cat, project)
    return COMPACT.item_separator if note is None else script_safe(json_member("e", note, COMPACT))


def index_script(cat: Catalogue) -> bytes:
    """A script that sets ``window.RENKEI_SEARCH``; safe to load from disk, no fetch needed.
    The notes are woven into the notes-free part (kept between builds: a note edited costs
    only the notes)."""
    members = (note_member(cat, p) for p in ordered(cat.all_projects))
    return woven_file(cat, SEARCH_INDEX, lambda: index_part(cat), members)


def query_index(cat: Catalogue) -> Index:
    """The index the command line answers from: the same data as the site's two script files."""
    return Index(index_data(cat), dictionary_data(cat.reference))
