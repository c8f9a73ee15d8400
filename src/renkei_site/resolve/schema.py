"""Declared shapes for the editors' tables under data/, read with located problems.

Each table entry has a shape: its keys, each with a type and whether it must be
there.  A table is read whole, every problem is collected with the line it is
on (``data/groups.yaml:12: unknown member set …``), and the caller raises them
all at once, before anything is built from the table.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Key:
    """One key of an entry: its type (str, int, list[str], mapping, list[mapping], str|list[str])."""

    type: str
    required: bool = False
    doc: str = ""


def fits(value: Any, type_: str) -> bool:
    """Whether a YAML value has the declared type (a bool is no int; null fits nothing but null)."""
    if "|" in type_:
        return any(fits(value, part) for part in type_.split("|"))
    if type_ == "null":
        return value is None
    if type_ == "str":
        return isinstance(value, str)
    if type_ == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ == "mapping":
        return isinstance(value, dict)
    if type_.startswith("list[") and type_.endswith("]"):
        return isinstance(value, list) and all(fits(item, type_[5:-1]) for item in value)
    raise ValueError(f"unknown declared type {type_!r}")


class Table:
    """One YAML table being read: its data, the line of every key, and the problems found."""

    def __init__(self, path: Path, label: str = ""):
        from .. import yamlio

        self.path = path
        self.label = label or yamlio.where(path)  # data/groups.yaml from the project's folder
        self.problems: list[Problem] = []
        self.data: Any = None
        self.text = ""
        self._lines: dict[tuple, int] | None = None
        try:
            self.text = yamlio.decode(path.read_bytes(), self.label)
            self.data = yamlio.load_text(self.text)
        except OSError as error:
            self.problems.append(Problem.at(self.label, 0, f"cannot be read ({error.strerror or error})"))
        except InputError as error:  # not UTF-8: the line of the first byte that is not
            self.problems += error.problems
        except Exception as error:  # not YAML, a key given twice: its own line
            self.problems.append(yamlio.yaml_problem(error, self.label))

    def line(self, where: tuple) -> int:
        """The line of a key or item (or of the nearest thing that holds it)."""
        if self._lines is None:
            from .. import yamlio

            try:
                self._lines = yamlio.line_index(self.text)
            except Exception:
                self._lines = {}
        while where and where not in self._lines:
            where = where[:-1]
        return self._lines.get(where, 1)

    def error(self, where: tuple, message: str) -> None:
        self.problems.append(Problem.at(self.label, self.line(where), message))

    def items(self, what: str) -> list[tuple[int, dict]]:
        """The entries of a table that is a list of mappings (an empty file is an empty list)."""
        if self.data is None:
            return []
        if not isinstance(self.data, list):
            self.error((), f"{self.label} must be a list of {what} entries, not a {type(self.data).__name__}")
            return []
        found = []
        for index, entry in enumerate(self.data):
            if isinstance(entry, dict):
                found.append((index, entry))
            else:
                self.error((index,), f"each {what} entry must be a mapping of keys, not {entry!r}")
        return found

    def check(self, entry: dict, shape: dict[str, Key], where: tuple, what: str) -> bool:
        """Unknown keys, missing keys and wrong types of one entry; True when it has none."""
        before = len(self.problems)
        for key in entry:
            if key not in shape:
                near = difflib.get_close_matches(str(key), list(shape), n=1)
                hint = f" (did you mean {near[0]}?)" if near else f" (one of: {', '.join(shape)})"
                self.error((*where, key), f"unknown key {key!r} in a {what} entry{hint}")
        for key, spec in shape.items():
            if key not in entry:
                if spec.required:
                    self.error(where, f"a {what} entry needs {key!r} ({spec.doc or spec.type})")
            elif not fits(entry[key], spec.type):
                self.error((*where, key), f"{key} must be {spec.type.replace('|', ' or ')}, not {entry[key]!r}")
        return len(self.problems) == before

    def unique(self, values: list[tuple[tuple, str]], what: str) -> None:
        """Each value once: a second one is an error naming the first one's line."""
        seen: dict[str, tuple] = {}
        for where, value in values:
            if value in seen:
                self.error(where, f"{what} {value!r} is used twice (first at line {self.line(seen[value])})")
            else:
                seen[value] = where

    def slug(self, entry: dict, where: tuple, what: str) -> None:
        if isinstance(entry.get("slug"), str) and not SLUG.fullmatch(entry["slug"]):
            self.error((*where, "slug"), f"{what} slug {entry['slug']!r} must be lower-case letters, digits, hyphens")


class Mapping:
    """Read access by key for frozen entries that templates and callers read like the mappings
    they were (``bureau["names"][0]["name"]``, ``bureau.get("predecessors")``)."""

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def get(self, key: str, default: Any = None) -> Any:
        value = getattr(self, key, None)
        return default if value in (None, ()) else value
