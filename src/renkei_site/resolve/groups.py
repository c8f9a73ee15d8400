"""data/groups.yaml: the named groups a list may use, with their members where they can be known.

An entry names one group (全国知事会, 関西広域連合 with the year its member list holds from,
首都圏 whose members are not determinable: ``members: null``), or, with ``each: prefecture`` or
``each: gun``, one group per prefecture or per 郡 (「長野県内の全市町村」, 「北海道上川郡の町村」):
``{prefecture}``, ``{prefecture_slug}``, ``{gun}`` and ``{code}`` in its label, slug,
description and aliases are filled in for each.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from .schema import SLUG, Key, Table

MEMBER_SETS = {
    "all_prefectures": "the 47 prefectures",
    "all_prefectures_but_tokyo": "the 46 prefectures other than Tokyo",
    "designated_cities": "the 20 designated cities",
    "all_municipalities": "the 47 prefectures and every municipality",
    "municipalities_outside_tokyo": "every municipality outside Tokyo",
    "municipalities_of_the_prefecture": "with each: prefecture, its municipalities",
    "towns_and_villages_of_the_gun": "with each: gun, the towns and villages of the 郡",
}
EACH = ("prefecture", "gun")
GROUP = {
    "label": Key("str", True, "the name shown and matched (after folding)"),
    "slug": Key("str", True, "the permalink /groups/<slug>/, like kyu-tokenshi"),
    "description": Key("str", doc="what it stands for"),
    "members": Key("str|list[str]|null", doc=f"one of {', '.join(MEMBER_SETS)}, a list of names, or null"),
    "members_since": Key("int", doc="the fiscal year from which the member list holds"),
    "aliases": Key("list[str]", doc="other spellings found in the lists"),
    "each": Key("str", doc="prefecture or gun: one group for each"),
}


@dataclass(frozen=True)
class Group:
    label: str
    description: str
    members: tuple[str, ...]  # place codes
    aliases: tuple[str, ...]
    slug: str = ""
    members_known: bool = True  # False: the list does not say who is included (首都圏)
    members_since: int | None = None  # the fiscal year the member list holds from


def read_groups(path: Path, places: dict, index: dict[str, tuple[str, ...]]) -> tuple[dict[str, Group], list]:
    """The groups of data/groups.yaml by label, and the problems found (all of them)."""
    table = Table(path)
    groups: list[tuple[tuple, Group]] = []
    for position, entry in table.items("group"):
        where = (position,)
        if not table.check(entry, GROUP, where, "group"):
            continue
        each = entry.get("each")
        if each is not None and each not in EACH:
            table.error((*where, "each"), f"each must be one of: {', '.join(EACH)}, not {each!r}")
            continue
        for fill in fillings(each, places):
            group = expand(table, entry, where, fill, index)
            if group is not None:
                groups.append((where, group))
    for where, group in groups:
        if not SLUG.fullmatch(group.slug):
            table.error((*where, "slug"), f"group slug {group.slug!r} must be lower-case letters, digits, hyphens")
    table.unique([(w, g.slug) for w, g in groups], "group slug")
    table.unique([(w, g.label) for w, g in groups], "group label")
    shared = Counter(alias for _, g in groups for alias in set(g.aliases))
    return {g.label: without_shared(g, shared) for _, g in groups}, table.problems


def fillings(each: str | None, places: dict) -> list[dict[str, str]]:
    """The values a pattern entry is filled with: one set per prefecture or per 郡 (none: one group)."""
    prefectures = {p.pref_code: p for p in places.values() if p.is_prefecture}
    if each == "prefecture":
        return [
            {"prefecture": p.name, "prefecture_slug": p.slug, "pref_code": p.pref_code} for p in prefectures.values()
        ]
    if each == "gun":
        first: dict[tuple[str, str], str] = {}
        for p in places.values():
            if p.gun:
                first.setdefault((p.pref_code, p.gun), p.code)
        return [
            {"prefecture": prefectures[pref].name, "prefecture_slug": prefectures[pref].slug, "pref_code": pref}
            | {"gun": gun, "code": code}
            for (pref, gun), code in first.items()
        ]
    return [{}]


def expand(table: Table, entry: dict, where: tuple, fill: dict[str, str], index) -> Group | None:
    """One group from an entry, its patterns filled; None (and a problem) when it does not read."""

    def filled(text: str) -> str:
        try:
            return text.format(**fill) if fill else text
        except (KeyError, IndexError, ValueError) as error:
            table.error(where, f"unknown pattern {error} in {text!r} (one of: {', '.join(sorted(fill)) or 'none'})")
            return text

    spec = entry.get("members", [])
    members = member_codes(table, spec, (*where, "members"), fill, index)
    if members is None:
        return None
    return Group(
        label=filled(entry["label"]),
        description=filled(entry.get("description", "")),
        members=members,
        aliases=tuple(filled(a) for a in entry.get("aliases", [])),
        slug=filled(entry["slug"]),
        members_known=spec is not None,
        members_since=entry.get("members_since"),
    )


def member_codes(table: Table, spec, where: tuple, fill: dict[str, str], index) -> tuple[str, ...] | None:
    """A group's members as sorted place codes (() when not determinable); None on a problem."""
    if spec is None:
        return ()
    if isinstance(spec, str):
        if spec not in MEMBER_SETS or (spec in FILLED_SETS) != bool(fill):
            table.error(where, f"unknown member set {spec} (one of: {', '.join(MEMBER_SETS)})")
            return None
        return index[spec] if spec in index else FILLED_SETS[spec](fill, index)
    unknown = [name for name in spec if name not in index]
    for name in unknown:
        table.error(where, f"member {name!r} is no place in data/reference/municipalities.csv (write 都道府県+name)")
    return None if unknown else tuple(sorted({code for name in spec for code in index[name]}))


FILLED_SETS = {
    "municipalities_of_the_prefecture": lambda fill, index: index["municipalities_of:" + fill["pref_code"]],
    "towns_and_villages_of_the_gun": lambda fill, index: index[f"gun:{fill['pref_code']}:{fill['gun']}"],
}


def without_shared(group: Group, shared: Counter) -> Group:
    """A pattern's alias two groups share (a 郡 name found in two prefectures) names neither."""
    aliases = tuple(a for a in group.aliases if shared[a] == 1)
    return group if aliases == group.aliases else replace(group, aliases=aliases)
