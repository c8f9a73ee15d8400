"""data/normalize.yaml (the normalizer's tables) and data/overrides.yaml (readings pinned by hand),
read through their declared shapes into frozen values, every problem located."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .schema import Key, Table

NEVER = r"(?!x)x"  # a pattern that matches nothing
RULES = {
    "none": Key("list[str]", doc="whole cells that mean no partners"),
    "see_remarks": Key("list[str]", doc="cells that send the reader to the remarks"),
    "variants": Key("mapping", doc="variant character: the character the official list writes"),
    "lookalikes": Key("mapping", doc="old forms official in some names: corrections of words that are no name"),
    "unreported_variants": Key("list[str]", doc="variants folded without a review item (ヶ: ケ)"),
    "sections": Key("list[str]", doc="patterns of section labels"),
    "periods": Key("list[str]", doc="patterns of periods after a list"),
    "suffixes": Key("list[str]", doc="patterns of qualifiers right after a name"),
    "others": Key("list[mapping]", doc="bodies that are no government: {name, pref, code}"),
    "bodies": Key("str", doc="pattern of the words after a place that make it a body there"),
    "marks": Key("list[str]", doc="abbreviated legal forms before a body's name: (一社)"),
    "facilities": Key("str", doc="pattern of 「内の…等」 in brackets"),
    "generic": Key("list[str]", doc="words ending in 市区町村 that are no place"),
    "connectives": Key("list[str]", doc="words that join names"),
    "particles": Key("list[str]", doc="wording starting with these describes the names before"),
    "publisher": Key("str", doc="the list's author"),
}
PATTERNS = ("sections", "periods", "suffixes")
OTHER = {
    "name": Key("str", True, "the body's name"),
    "pref": Key("str", doc="the 2-digit code of its prefecture"),
    "code": Key("str", doc="the 6-digit code of the place it belongs to"),
}
OVERRIDE = {
    "surface": Key("str", True, "the mention's text as the list writes it"),
    "year": Key("int", doc="only in this fiscal year"),
    "no": Key("int", doc="only in this No."),
    "role": Key("str", doc="current, past or remarks"),
    "column": Key("str", doc="current, past or remarks"),
    "code": Key("str", doc='the place\'s 6-digit code, quoted ("113638")'),
    "kind": Key("str", doc="group, other or none"),
    "name": Key("str", doc="the group's label or the body's name"),
    "note": Key("str", doc="why"),
}
OVERRIDE_KINDS = ("group", "other", "none")
ROLES = ("current", "past", "remarks")


@dataclass(frozen=True)
class Other:
    name: str
    pref: str = ""
    code: str = ""


@dataclass(frozen=True)
class Rules:
    """The normalizer's tables (data/normalize.yaml)."""

    none: tuple[str, ...] = ()
    see_remarks: tuple[str, ...] = ()
    variants: dict[str, str] | None = None
    unreported_variants: tuple[str, ...] = ()
    lookalikes: dict[str, str] | None = None
    sections: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    others: tuple[Other, ...] = ()
    bodies: str = NEVER
    facilities: str = NEVER
    marks: tuple[str, ...] = ()
    generic: tuple[str, ...] = ()
    connectives: tuple[str, ...] = ()
    particles: tuple[str, ...] = ()
    publisher: str = ""


@dataclass(frozen=True)
class Override:
    """A reading pinned by hand: the mention with this surface (in this year, No., role) is this."""

    surface: str
    year: int | None = None
    no: int | None = None
    role: str = ""
    column: str = ""
    code: str = ""
    kind: str = ""
    name: str = ""
    note: str = ""


def read_rules(path: Path, places: dict, pref_codes: set[str]) -> tuple[Rules, list]:
    table = Table(path)
    data = table.data if table.data is not None else {}
    if not isinstance(data, dict):
        table.error((), "normalize.yaml must be a mapping of table names to tables")
        return Rules(variants={}), table.problems
    if not table.check(data, RULES, (), "normalize.yaml"):
        return Rules(variants={}), table.problems
    for key in (*PATTERNS, "bodies", "facilities"):
        for number, pattern in enumerate(data[key] if isinstance(data.get(key), list) else [data.get(key, NEVER)]):
            where = (key, number) if isinstance(data.get(key), list) else (key,)
            try:
                re.compile(pattern)
            except re.error as error:
                table.error(where, f"{key}: {pattern!r} is not a valid pattern ({error})")
    for key in ("variants", "lookalikes"):
        for old, new in data.get(key, {}).items():
            if not (isinstance(old, str) and isinstance(new, str) and len(old) == len(new) == 1):
                table.error((key, old), f"{key}: {old!r}: {new!r} must map one character to one character")
    variants, lookalikes = data.get("variants", {}), data.get("lookalikes", {})
    others = []
    for number, entry in enumerate(data.get("others", [])):
        where = ("others", number)
        if not table.check(entry, OTHER, where, "others"):
            continue
        if entry.get("pref", "") and entry["pref"] not in pref_codes:
            table.error((*where, "pref"), f"others: pref {entry['pref']!r} is no prefecture code (01–47)")
        elif entry.get("code", "") and entry["code"] not in places:
            table.error((*where, "code"), f"others: code {entry['code']!r} is not in the reference list")
        else:
            others.append(Other(entry["name"], entry.get("pref", ""), entry.get("code", "")))
    lists = {k: tuple(data[k]) for k in RULES if k in data and isinstance(data[k], list) and k != "others"}
    strings = {k: data[k] for k in ("bodies", "facilities", "publisher") if k in data}
    rules = Rules(variants=dict(variants), lookalikes=dict(lookalikes), others=tuple(others), **lists, **strings)
    return rules, table.problems


def read_overrides(path: Path, places: dict, groups: dict) -> tuple[list[Override], list]:
    """data/overrides.yaml (a missing or empty file: no overrides)."""
    if not path.exists():
        return [], []
    table = Table(path)
    pins = []
    for index, entry in table.items("override"):
        where = (index,)
        entry = {("no" if key is False else key): value for key, value in entry.items()}  # YAML 1.1 reads no: as false
        if table.check(entry, OVERRIDE, where, "override") and not override_problems(
            table, entry, where, places, groups
        ):
            pins.append(Override(**entry))
    return pins, table.problems


def override_problems(table: Table, entry: dict, where: tuple, places: dict, groups: dict) -> bool:
    """Report what an override pins that cannot be: True when it had a problem."""
    before = len(table.problems)
    kind, code = entry.get("kind", ""), entry.get("code", "")
    for key in ("role", "column"):
        if key in entry and entry[key] not in ROLES:
            table.error((*where, key), f"{key} must be one of {', '.join(ROLES)}, not {entry[key]!r}")
    if kind and kind not in OVERRIDE_KINDS:
        table.error((*where, "kind"), f"kind must be one of {', '.join(OVERRIDE_KINDS)}, not {kind!r}")
    elif not kind and not code:
        table.error(where, "an override needs a code (a place) or a kind (group, other or none)")
    if code and code not in places:
        table.error((*where, "code"), f"code {code!r} is not in data/reference/municipalities.csv")
    if kind == "group" and entry.get("name") not in groups:
        table.error((*where, "name"), f"unknown group {entry.get('name')!r} (add it to data/groups.yaml)")
    if kind == "other" and not entry.get("name"):
        table.error(where, "an override to a body (kind other) needs its name")
    return len(table.problems) > before
