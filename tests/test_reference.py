"""The master data: counts, check digits, official spellings, groups."""

from __future__ import annotations

import re
from collections import Counter

import pytest


def check_digit(code5: str) -> str:
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def test_counts(reference):
    kinds = Counter(p.kind for p in reference.places.values())
    assert kinds["prefecture"] == 47
    assert kinds["city"] + kinds["town"] + kinds["village"] + kinds["special_ward"] == 1741
    assert kinds["special_ward"] == 23
    assert kinds["ward"] == 175
    assert sum(p.designated for p in reference.places.values()) == 20


def test_every_code_has_a_valid_check_digit(reference):
    for code in reference.places:
        assert len(code) == 6 and code[5] == check_digit(code[:5]), code


@pytest.mark.parametrize(
    ("code", "name", "gun"),
    [
        ("122246", "鎌ケ谷市", ""),
        ("122297", "袖ケ浦市", ""),
        ("113638", "長瀞町", "秩父郡"),
        ("013978", "留寿都村", "虻田郡"),
        ("131059", "文京区", ""),
        ("011011", "中央区", ""),
    ],
)
def test_official_spellings_and_gun(reference, code, name, gun):
    place = reference.places[code]
    assert (place.name, place.gun) == (name, gun)


def test_prefecture_slugs_are_conventional(reference):
    slugs = {p.name: p.slug for p in reference.prefectures}
    assert [slugs[n] for n in ("北海道", "東京都", "京都府", "大阪府", "兵庫県", "高知県", "大分県")] == [
        "hokkaido",
        "tokyo",
        "kyoto",
        "osaka",
        "hyogo",
        "kochi",
        "oita",
    ]
    assert len(set(slugs.values())) == 47


def test_groups_stand_for_their_members(reference):
    assert len(reference.groups["全国道府県"].members) == 46
    assert "130001" not in reference.groups["全国道府県"].members
    assert len(reference.groups["政令指定都市"].members) == 20
    assert len(reference.groups["九都県市"].members) == 9


def test_every_group_has_its_own_permalink_slug(reference):
    slugs = [group.slug for group in reference.groups.values()]
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)  # a 郡 by its first code
    assert len(set(slugs)) == len(slugs)
