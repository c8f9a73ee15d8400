"""Former municipalities (merged away, 平成の大合併) and the municipality that took each in:
data/reference/former_municipalities.csv, made by scripts/make_former_municipalities.py."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem

COLUMNS = ["pref_code", "name", "successor_code", "successor_name", "year"]


@dataclass(frozen=True, slots=True)
class Former:
    """A municipality that no longer exists: its prefecture, name, successor and the merger's year."""

    pref_code: str
    name: str
    successor_code: str
    year: int


def load_former(path: Path, places: dict) -> tuple[tuple[Former, ...], list[Problem]]:
    """The table (a missing file: none), and a problem for every row that does not fit the reference."""
    if not path.exists():
        return (), []
    from .. import yamlio

    label = yamlio.where(path)
    found, problems = [], []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            return (), [Problem.at(label, 1, f"the header must be {','.join(COLUMNS)}")]
        for line, row in enumerate(reader, start=2):
            successor = places.get(row["successor_code"])
            if successor is None or successor.pref_code != row["pref_code"] or not row["year"].isdigit():
                problems.append(
                    Problem.at(
                        label,
                        line,
                        f"{row['name']}: successor {row['successor_code']} or year"
                        f" {row['year']!r} does not fit data/reference/municipalities.csv",
                    )
                )
                continue
            found.append(Former(row["pref_code"], row["name"], row["successor_code"], int(row["year"])))
    return tuple(found), problems
