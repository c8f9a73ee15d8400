"""Synthetic yearly lists in the real (tab-separated) format, made from the FY2022 rows.

Row i repeats FY2022 row i mod 79 with a unique name, so partner cells,
descriptions and remarks are real text.  A series of years drops and adds a
few projects each year, flips 新規 to 継続 and moves a partner to the past, so
diffs and history have work to do.
"""

from __future__ import annotations

import random
from pathlib import Path

from renkei_site.read.parse import parse_bytes
from renkei_site.read.table import COLUMNS, LIST_HEADER

ROOT = Path(__file__).resolve().parent.parent
HEADER = "\t".join(LIST_HEADER)


def seed_rows() -> list[dict[str, str]]:
    source = next((ROOT / "data" / "2022").glob("source-*"))
    return [dict(row.raw) for row in parse_bytes(source.read_bytes(), source.name).rows]


def era_title(year: int) -> str:
    era = f"令和{'元' if year == 2019 else year - 2018}" if year >= 2019 else f"平成{year - 1988}"
    return f"{era}年度 全国各地との連携事業一覧({era}年4月1日時点)"


def rows_for(count: int, base: list[dict[str, str]], tag: str = "") -> list[dict[str, str]]:
    """``count`` rows cycling through the FY2022 rows, each with a unique name."""
    rows = []
    for i in range(count):
        row = dict(base[i % len(base)])
        if i >= len(base) or tag:
            row["name"] = f"{row['name']}(その{i + 1}{tag})"
        rows.append(row)
    return rows


def to_list(year: int, rows: list[dict[str, str]]) -> bytes:
    lines = ["", era_title(year), "", HEADER]
    for number, row in enumerate(rows, start=1):
        cells = [str(number), *(row[key].replace("\n", " ").replace("\t", " ") for key in COLUMNS[1:])]
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def one_year(count: int, year: int = 2022) -> bytes:
    return to_list(year, rows_for(count, seed_rows()))


def series(count: int, years: list[int]) -> dict[int, bytes]:
    """A list per year: each year drops 3 % of the projects, adds as many, and changes some."""
    rng = random.Random(f"renkei-bench-{count}")
    base = seed_rows()
    rows = rows_for(count, base)
    lists = {}
    for index, year in enumerate(years):
        if index:
            drop = set(rng.sample(range(len(rows)), max(1, count * 3 // 100)))
            rows = [r for i, r in enumerate(rows) if i not in drop]
            for row in rows:
                if row["status"] == "新規":
                    row["status"] = "継続"
            for row in rng.sample(rows, max(1, count // 100)):
                if "、" in row["partners_current"]:
                    current = row["partners_current"].split("、")
                    row["partners_past"] = current.pop()
                    row["partners_current"] = "、".join(current)
            added = rows_for(len(drop), base, tag=f"・{year}年度新規")
            for row in added:
                row["status"] = "新規"
            rows[len(rows) // 2 : len(rows) // 2] = added
        lists[year] = to_list(year, rows)
    return lists
