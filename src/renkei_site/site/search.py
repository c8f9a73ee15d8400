"""The client-side search index: one small script file, written at build time.

Each project carries its display fields and search keys: the text (name,
bureau, field, partners, description, the editors' note), kana (name reading and partner
readings, in hiragana) and romaji folded for long vowels (toukyou → tokyo).
"""

from __future__ import annotations

import json

from ..model import Catalogue
from ..records import Project
from ..resolve.readings import fold_romaji, hiragana
from .markdown import plain_text
from .paths import project_path


def place_keys(cat: Catalogue, project: Project) -> tuple[list[str], list[str], list[str]]:
    """Partner names and their kana and romaji."""
    names, kana, romaji = [], [], []
    for m in project.mentions:
        if m.role != "current" or m.kind in ("none", "text"):
            continue
        names.append(m.name or m.surface)
        place = cat.reference.places.get(m.code)
        if place is not None:
            pref = cat.reference.prefecture_by_code[place.pref_code]
            kana += [hiragana(place.kana), hiragana(pref.kana)]
            romaji += [fold_romaji(place.romaji), fold_romaji(pref.romaji)]
    return list(dict.fromkeys(names)), list(dict.fromkeys(kana)), list(dict.fromkeys(romaji))


def entry(cat: Catalogue, project: Project) -> dict[str, object]:
    names, kana, romaji = place_keys(cat, project)
    involvement = cat.involvement(project)
    note = cat.notes.source("project", project.key)
    return ({"o": plain_text(note)} if note else {}) | {
        "u": project_path(project),
        "y": project.fiscal_year,
        "n": project.no,
        "t": project.name,
        "b": project.bureau,
        "f": project.field,
        "s": project.status,
        "p": names,
        "d": project.description,
        "k": [hiragana(project.kana), *kana],
        "r": [fold_romaji(project.romaji), *romaji],
        "g": sorted(pref for pref, inv in involvement.items() if inv.how != "past"),
    }


def index_data(cat: Catalogue) -> dict[str, object]:
    return {
        "years": [y.fiscal_year for y in cat.years],
        "latest": cat.latest.fiscal_year,
        "fields": cat.reference.fields,
        "bureaus": sorted({p.bureau for p in cat.all_projects}),
        "prefs": [[p.pref_code, p.name] for p in cat.reference.prefectures],
        "items": [entry(cat, p) for p in cat.all_projects],
    }


def index_script(cat: Catalogue) -> bytes:
    """A script that sets ``window.RENKEI_SEARCH``; safe to load from disk, no fetch needed."""
    text = json.dumps(index_data(cat), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.RENKEI_SEARCH={text};\n".encode()
