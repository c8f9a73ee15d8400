"""Reference tables under ``data/``: places with codes, groups, bureaus, fields.

Loaded once per run; everything here is read-only data with small lookups.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .. import cache
from ..errors import InputError, Problem
from .former import Former, load_former
from .groups import Group
from .rules import Override, Rules
from .tables import Bureau

MUNICIPAL_KINDS = ("city", "special_ward", "town", "village")
KEEP = set("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")  # circled numbers label sections: NFKC would make them digits
KEPT = re.compile(f"[{''.join(sorted(KEEP))}]|[^{''.join(sorted(KEEP))}]+")  # runs normalised whole (ﾃﾞ → デ)


@dataclass(frozen=True, slots=True)
class Place:
    """A prefecture, municipality or designated-city ward, as the official list names it."""

    code: str  # 6-digit 全国地方公共団体コード
    pref_code: str
    kind: str  # prefecture / city / special_ward / town / village / ward
    name: str
    gun: str
    parent_code: str
    kana: str
    romaji: str
    designated: bool
    lat: float | None
    lon: float | None

    @property
    def is_prefecture(self) -> bool:
        return self.kind == "prefecture"

    @property
    def slug(self) -> str:
        """URL key: conventional romaji for prefectures, the code otherwise."""
        return self.romaji.lower() if self.is_prefecture else self.code


@dataclass
class Reference:
    """All reference data, with the lookups the stages need."""

    places: dict[str, Place]
    groups: dict[str, Group]
    bureaus: list[Bureau]
    fields: list[str]
    field_slugs: dict[str, str]
    rules: Rules
    overrides: list[Override] = field(default_factory=list)
    project_links: dict[str, str] = field(default_factory=dict)  # later name -> earlier name
    former: tuple[Former, ...] = ()  # municipalities merged away, with their successors
    fingerprint: str = ""  # digest of the files read, for caches that depend on them
    map_shapes: dict[str, Any] = field(default_factory=dict)  # reference/japan-map.json: outlines for the map

    @cached_property
    def prefectures(self) -> list[Place]:
        return [p for p in self.places.values() if p.is_prefecture]

    @cached_property
    def prefecture_by_code(self) -> dict[str, Place]:
        return {p.pref_code: p for p in self.prefectures}

    @cached_property
    def bureau_names(self) -> dict[str, Bureau]:
        """Every name a bureau had, folded (no spaces, NFKC width), -> its data/bureaus.yaml entry."""
        return {name_key(n.name): b for b in self.bureaus for n in b.names}

    def bureau_entry(self, name: str) -> Bureau | None:
        return self.bureau_names.get(name_key(name))

    def bureau_known(self, name: str, year: int) -> bool:
        """Whether data/bureaus.yaml has this name in use in this fiscal year."""
        key = name_key(name)
        return any(
            name_key(n.name) == key and (n.since or year) <= year <= (n.until or year)
            for b in self.bureaus
            for n in b.names
        )

    def bureau_slug(self, name: str) -> str:
        return self.bureau_names[name_key(name)].slug

    @cached_property
    def field_names(self) -> dict[str, str]:
        """Folded field name -> the name as data/fields.yaml spells it."""
        return {name_key(name): name for name in self.fields}

    def field_slug(self, name: str) -> str:
        return self.field_slugs[self.field_names[name_key(name)]]

    def canonical_bureau(self, name: str) -> str:
        """The spelling data/bureaus.yaml gives a name that differs only in spaces or width."""
        key = name_key(name)
        entry = self.bureau_names.get(key)
        return next((n.name for n in entry.names if name_key(n.name) == key), name) if entry else name

    def canonical_field(self, name: str) -> str:
        return self.field_names.get(name_key(name), name)

    def full_name(self, place: Place) -> str:
        """Name with its prefecture (and city for a ward): 神奈川県川崎市, 北海道札幌市中央区."""
        pref = self.prefecture_by_code[place.pref_code].name
        if place.is_prefecture:
            return place.name
        if place.kind == "ward":
            return pref + self.places[place.parent_code].name + place.name
        return pref + place.name

    def local_name(self, place: Place) -> str:
        """Name within its prefecture: 川崎市, 札幌市中央区."""
        if place.kind == "ward":
            return self.places[place.parent_code].name + place.name
        return place.name


def name_key(name: str) -> str:
    """How bureau, field and project names are compared across years: NFKC, no spaces."""
    return fold_key(name, {})


SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())  # every character str.isspace() holds
KEPT_CHARS = re.compile(f"[{''.join(sorted(KEEP))}]")
_TABLES: dict[int, tuple[dict[str, str], dict[int, str | None]]] = {}  # id(variants) -> (variants, table)
NO_VARIANTS: dict[str, str] = {}


def fold_key(text: str, variants: dict[str, str]) -> str:
    """The key names are matched on: NFKC, variant characters folded, no spaces."""
    if KEPT_CHARS.search(text):
        text = KEPT.sub(lambda m: m.group() if m.group() in KEEP else unicodedata.normalize("NFKC", m.group()), text)
    else:
        text = unicodedata.normalize("NFKC", text)
    variants = variants or NO_VARIANTS  # one table for every empty one (a new {} each call kept a table each)
    table = _TABLES.get(id(variants))
    if table is None or table[0] is not variants:
        table = (variants, str.maketrans({**variants, **dict.fromkeys(SPACES)}))
        _TABLES[id(variants)] = table
    return text.translate(table[1])


def load_places(path: Path) -> dict[str, Place]:
    places = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            places[row["code"]] = Place(
                code=row["code"],
                pref_code=row["pref_code"],
                kind=row["kind"],
                name=row["name"],
                gun=row["gun"],
                parent_code=row["parent_code"],
                kana=row["kana"],
                romaji=row["romaji"],
                designated=row["designated"] == "1",
                lat=float(row["lat"]) if row["lat"] else None,
                lon=float(row["lon"]) if row["lon"] else None,
            )
    return places


def member_index(places: dict[str, Place]) -> dict[str, tuple[str, ...]]:
    """Codes for every group keyword and every 都道府県+name spelling of a place."""
    municipal = [p for p in places.values() if p.kind in MUNICIPAL_KINDS]
    prefectures = {p.pref_code: p for p in places.values() if p.is_prefecture}
    index: dict[str, tuple[str, ...]] = {
        "all_prefectures": tuple(p.code for p in prefectures.values()),
        "all_prefectures_but_tokyo": tuple(p.code for p in prefectures.values() if p.pref_code != "13"),
        "designated_cities": tuple(p.code for p in municipal if p.designated),
        "all_municipalities": tuple(p.code for p in prefectures.values()) + tuple(p.code for p in municipal),
        "municipalities_outside_tokyo": tuple(p.code for p in municipal if p.pref_code != "13"),
    }
    for p in places.values():
        full = p.name if p.is_prefecture else prefectures[p.pref_code].name + p.name
        index.setdefault(full, (p.code,))
    for p in sorted(municipal, key=lambda p: p.code):  # what data/groups.yaml's `each:` entries hold
        index["municipalities_of:" + p.pref_code] = (*index.get("municipalities_of:" + p.pref_code, ()), p.code)
        if p.gun:
            key = f"gun:{p.pref_code}:{p.gun}"
            index[key] = (*index.get(key, ()), p.code)
    return index


REFERENCE_CODE = (  # what reads the tables
    "resolve/reference",
    "resolve/schema",
    "resolve/groups",
    "resolve/tables",
    "resolve/rules",
    "resolve/former",
    "yamlio",
    "cache",
)


def load_reference(data_dir: Path) -> Reference:
    """Every reference table under ``data_dir``; kept in data/.cache/ keyed by the tables' bytes
    and the code that reads them (a build then parses no YAML, nor even imports the parser)."""
    digest = hashlib.sha256()
    for path in sorted([*data_dir.glob("*.yaml"), *(data_dir / "reference").glob("*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    key = cache.fingerprint([], digest.hexdigest(), code=REFERENCE_CODE)
    stored = data_dir / ".cache" / "reference.pickle"
    reference = cache.load_pickle(stored, key)
    if not isinstance(reference, Reference):
        reference = read_reference(data_dir, digest.hexdigest())
        cache.store_pickle(stored, key, reference)
    return reference


def read_reference(data_dir: Path, fingerprint: str) -> Reference:
    """Read every reference table under ``data_dir``: every problem of every table at once."""
    from .groups import read_groups
    from .rules import read_overrides, read_rules
    from .tables import read_bureaus, read_fields, read_project_links

    places = load_places(data_dir / "reference" / "municipalities.csv")
    groups, problems = read_groups(data_dir / "groups.yaml", places, member_index(places))
    bureaus, found = read_bureaus(data_dir / "bureaus.yaml")
    problems += found
    fields, found = read_fields(data_dir / "fields.yaml")
    problems += found
    pref_codes = {p.pref_code for p in places.values() if p.is_prefecture}
    rules, found = read_rules(data_dir / "normalize.yaml", places, pref_codes)
    problems += found + variant_problems(rules, places, data_dir / "normalize.yaml")
    overrides, found = read_overrides(data_dir / "overrides.yaml", places, groups)
    problems += found
    links, found = read_project_links(data_dir / "project_links.yaml")
    problems += found
    former, found = load_former(data_dir / "reference" / "former_municipalities.csv", places)
    problems += found
    if problems:
        raise InputError(problems)
    return Reference(
        places=places,
        groups=groups,
        bureaus=bureaus,
        fields=[f.name for f in fields],
        field_slugs={f.name: f.slug for f in fields},
        rules=rules,
        overrides=overrides,
        project_links={fold_key(k, {}): fold_key(v, {}) for k, v in links.items()},
        fingerprint=fingerprint,
        former=former,
        map_shapes=json.loads((data_dir / "reference" / "japan-map.json").read_text(encoding="utf-8")),
    )


def variant_problems(rules: Rules, places: dict[str, Place], path: Path) -> list[Problem]:
    """A variant that folds two official names into one (嶋→島 would make 鹿嶋市 鹿島市) is refused."""
    by_key: dict[str, str] = {}
    problems: list[Problem] = []
    table = None
    for name in sorted({p.name for p in places.values()}):
        key = fold_key(name, rules.variants or {})
        if key in by_key and by_key[key] != name:
            changed = sorted({c for c in name + by_key[key] if (rules.variants or {}).get(c)})
            from .schema import Table

            table = table or Table(path)
            problems.append(
                Problem.at(
                    table.label,
                    table.line(("variants", changed[0])),
                    f"variants {', '.join(f'{c}→{rules.variants[c]}' for c in changed)} make the official names "
                    f"{by_key[key]} and {name} one name: remove the variant",
                )
            )
        by_key.setdefault(key, name)
    return problems
