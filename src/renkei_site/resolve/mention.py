"""A partner mention: one government, group or body a cell names, with its wording and codes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from .reference import Reference

KINDS = ("prefecture", "municipality", "group", "other", "ambiguous", "unresolved", "none", "text")
# `text`: wording in a partner cell that names no government the normalizer knows
# (prose, 国, 一部事務組合…): kept, shown and exported, never silently dropped.
PARTNER_ROLES = ("current", "past")
ROLES = (*PARTNER_ROLES, "remarks")  # remarks: a place the 備考 names, not a partner
COLUMN_OF_ROLE = {"current": "partners_current", "past": "partners_past"}


@dataclass(frozen=True, slots=True)
class Mention:
    """One partner (or place) named in a cell, resolved (or reported) with its wording."""

    role: str  # which list it counts in: current / past / remarks (named in 備考, not a partner)
    column: str  # the cell it was read from: current / past / remarks
    kind: str
    surface: str
    name: str = ""
    code: str = ""
    pref_code: str = ""
    qualifier: str = ""
    via: str = ""
    correction: str = ""
    candidates: tuple[str, ...] = ()

    def __reduce__(self):
        """Pickled as its fields in order (data/.cache/ loads in half the time dataclass state takes)."""
        return (Mention, tuple(getattr(self, name) for name in self.__slots__))

    def to_dict(self) -> dict:
        data = {name: value for name in self.__slots__ if (value := getattr(self, name)) not in ("", ())}
        if self.candidates:
            data["candidates"] = list(self.candidates)
        return data

    @classmethod
    def from_dict(cls, data: dict, share: Callable[[str], str] = str) -> Mention:
        """The mention a record's mapping gives; ``share`` may give one object for equal strings."""
        if not isinstance(data, dict):
            raise TypeError("a mention must be a mapping")
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise KeyError(f"unknown keys {sorted(unknown)}")
        values = {k: (tuple(share(str(c)) for c in v) if k == "candidates" else share(str(v))) for k, v in data.items()}
        return cls(**values)

    @property
    def is_place(self) -> bool:
        return self.kind in ("prefecture", "municipality")


def mention_problems(mention: Mention, reference: Reference) -> list[tuple[str, str]]:
    """What is wrong with a (possibly hand-edited) mention: (key, message) pairs."""
    problems = []
    if mention.kind not in KINDS:
        problems.append(("kind", f"unknown mention kind {mention.kind!r} (one of {', '.join(KINDS)})"))
    if mention.role not in ROLES:
        problems.append(("role", f"mention role must be one of {', '.join(ROLES)}, not {mention.role!r}"))
    if mention.is_place:
        place = reference.places.get(mention.code)
        if place is None:
            problems.append(("code", f"code {mention.code!r} is not in data/reference/municipalities.csv"))
        elif place.is_prefecture != (mention.kind == "prefecture"):
            problems.append(("code", f"code {mention.code} is a {place.kind}, not a {mention.kind}"))
        elif mention.name not in (reference.local_name(place), reference.full_name(place)):
            problems.append(
                (
                    "name",
                    f"code {mention.code} is {reference.full_name(place)}, not {mention.name!r}: "
                    "the code and the name must agree",
                )
            )
        if place is not None and mention.pref_code and mention.pref_code != place.pref_code:
            problems.append(("pref_code", f"pref_code {mention.pref_code} does not agree with code {mention.code}"))
    if mention.kind == "other" and mention.code and mention.code not in reference.places:
        problems.append(("code", f"code {mention.code!r} of the body's place is not in the reference list"))
    elif mention.kind == "other" and mention.code and mention.pref_code != reference.places[mention.code].pref_code:
        problems.append(("pref_code", f"pref_code {mention.pref_code!r} does not agree with code {mention.code}"))
    if mention.kind == "group" and mention.name not in reference.groups:
        problems.append(("name", f"unknown group {mention.name!r} (add it to data/groups.yaml)"))
    for code in mention.candidates:
        if code not in reference.places:
            problems.append(("candidates", f"candidate code {code!r} is not in the reference list"))
    return problems


# --- the gazetteer -----------------------------------------------------------


def replace(mention: Mention, **changes) -> Mention:
    return dataclasses.replace(mention, **changes)
