"""The columns of a CSV download: name, type, and what it holds (the data package and the
SQLite catalogue describe each file from these)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless Table Schema type: string, integer, boolean, date
    title: str  # the Japanese header a reader knows it by
    description: str = ""


def names(columns: Iterable[Column]) -> tuple[str, ...]:
    return tuple(c.name for c in columns)


def text(name: str, title: str, description: str = "") -> Column:
    return Column(name, "string", title, description)


def count(name: str, title: str, description: str = "") -> Column:
    return Column(name, "integer", title, description)


FISCAL_YEAR = count("fiscal_year", "年度", "the fiscal year of the list (2022 = 令和4年度)")
PREF_CODE = text("pref_code", "都道府県コード", "2-digit prefecture code (JIS X 0401), kept as text: 01")
