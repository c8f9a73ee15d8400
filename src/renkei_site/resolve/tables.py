"""The editors' tables other than groups: bureaus, fields, normalizer rules, overrides, project links.

Each is read through its declared shape (resolve/schema.py) into frozen values;
every problem is located and returned, so ``read_reference`` raises them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .schema import Key, Mapping, Table

BUREAU = {
    "slug": Key("str", True, "the permalink key /bureaus/<slug>/"),
    "names": Key("list[mapping]", True, "every name with its years: [{name: 総務局, since: 2022}]"),
    "predecessors": Key("list[str]", doc="slugs of the bureaus it took over from"),
    "successors": Key("list[str]", doc="slugs of the bureaus that took it over"),
    "generated": Key("int", doc="the fiscal year an import added it in"),
}
BUREAU_NAME = {
    "name": Key("str", True, "the name as the list writes it"),
    "since": Key("int", doc="the first fiscal year of the name"),
    "until": Key("int", doc="the last fiscal year of the name"),
}
FIELD = {
    "name": Key("str", True, "the 分野 as the list writes it"),
    "slug": Key("str", True, "the permalink key /fields/<slug>/"),
    "en": Key("str", doc="the English name"),
    "generated": Key("int", doc="the fiscal year an import added it in"),
}


@dataclass(frozen=True)
class BureauName(Mapping):
    name: str
    since: int | None = None
    until: int | None = None


@dataclass(frozen=True)
class Bureau(Mapping):
    """A bureau (所管局) over the years: one page, every name it had."""

    slug: str
    names: tuple[BureauName, ...]
    predecessors: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()
    generated: int | None = None

    @classmethod
    def from_entry(cls, entry: dict) -> Bureau:
        """The value of an entry already in its declared shape (one an import is about to append)."""
        names = tuple(BureauName(n["name"], n.get("since"), n.get("until")) for n in entry["names"])
        lists = {k: tuple(entry[k]) for k in ("predecessors", "successors") if k in entry}
        return cls(entry["slug"], names, generated=entry.get("generated"), **lists)


@dataclass(frozen=True)
class Field(Mapping):
    name: str
    slug: str
    en: str = ""
    generated: int | None = None


def read_bureaus(path: Path) -> tuple[list[Bureau], list]:
    table = Table(path)
    bureaus: list[tuple[tuple, Bureau]] = []
    for index, entry in table.items("bureau"):
        where = (index,)
        if not table.check(entry, BUREAU, where, "bureau"):
            continue
        table.slug(entry, where, "bureau")
        names = []
        for number, name in enumerate(entry["names"]):
            if table.check(name, BUREAU_NAME, (*where, "names", number), "bureau name"):
                names.append(BureauName(name["name"], name.get("since"), name.get("until")))
        if not names:
            table.error((*where, "names"), "a bureau entry needs at least one name")
            continue
        values = {k: tuple(entry[k]) for k in ("predecessors", "successors") if k in entry}
        bureaus.append((where, Bureau(entry["slug"], tuple(names), generated=entry.get("generated"), **values)))
    table.unique([(w, b.slug) for w, b in bureaus], "bureau slug")
    table.unique([(w, re.sub(r"\s", "", n.name)) for w, b in bureaus for n in b.names], "bureau name")
    slugs = {b.slug for _, b in bureaus}
    for where, bureau in bureaus:
        for key in ("predecessors", "successors"):
            for slug in getattr(bureau, key):
                if slug not in slugs:
                    table.error((*where, key), f"{key}: no bureau has the slug {slug!r}")
    return [b for _, b in bureaus], table.problems


def read_fields(path: Path) -> tuple[list[Field], list]:
    table = Table(path)
    fields: list[tuple[tuple, Field]] = []
    for index, entry in table.items("field"):
        if table.check(entry, FIELD, (index,), "field"):
            table.slug(entry, (index,), "field")
            fields.append(((index,), Field(entry["name"], entry["slug"], entry.get("en", ""), entry.get("generated"))))
    table.unique([(w, f.slug) for w, f in fields], "field slug")
    table.unique([(w, f.name) for w, f in fields], "field name")
    return [f for _, f in fields], table.problems


def read_project_links(path: Path) -> tuple[dict[str, str], list]:
    """data/project_links.yaml: ``later name: earlier name`` (a missing file: no links)."""
    if not path.exists():
        return {}, []
    table = Table(path)
    data = table.data or {}
    if not isinstance(data, dict):
        table.error((), "project_links.yaml must map a later project name to its earlier name")
        return {}, table.problems
    for key, value in data.items():
        if not isinstance(key, str) or not isinstance(value, str):
            table.error((key,), f"{key!r}: {value!r}: both names must be text")
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}, table.problems
