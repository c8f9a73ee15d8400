"""A two-year data set for search tests, and hand-checked queries with their expected results.

FY2022 is the real list.  FY2023 is the synthetic next year of tests/next_year.py
plus two rows that name places sharing a name across prefectures (府中, 伊達,
川崎), so that ambiguous names can be searched.  ``CORPUS`` gives, for each
query, the projects the search must list: ``named`` (naming the place as a
partner, past partner or in 備考, or matching every word), ``text`` (the place's
name only in the project's name or description) and ``group`` (the prefecture only
through a group), each as the set of "year/No." keys.  Every expectation was
checked against the list by hand (see the notes beside them).
"""

from __future__ import annotations

from layout_render import render_layout
from next_year import TITLE, next_year_rows

from renkei_site.read.table import COLUMNS

EXTRA_ROWS = [
    {
        "bureau": "総務局",
        "field": "その他",
        "status": "新規",
        "name": "府中市連携フォーラム",
        "partners_current": "東京都府中市、広島県府中市",
        "partners_past": "-",
        "description": "同じ名前の二つの府中市と連携し、まちづくりの経験を共有する。",
        "remarks": "",
    },
    {
        "bureau": "総務局",
        "field": "その他",
        "status": "新規",
        "name": "伊達市交流事業",
        "partners_current": "北海道伊達市",
        "partners_past": "福島県伊達市",
        "description": "伊達市と職員の相互派遣を行う。",
        "remarks": "宮城県柴田郡川崎町と情報交換を行っている。",
    },
]


def corpus_list(seed: bytes) -> bytes:
    """The FY2023 list of this corpus, as pdftotext -layout text."""
    rows = next_year_rows(seed)
    for extra in EXTRA_ROWS:
        rows.append({**extra, "no": str(len(rows) + 1)})
    return render_layout(TITLE, [[row[key] for key in COLUMNS] for row in rows]).encode("utf-8")


def keys(*numbers: str) -> set[str]:
    return set(numbers)
