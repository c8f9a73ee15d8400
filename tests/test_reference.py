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


# --- every row: 郡, kana and romaji (data/reference/municipalities.csv) -------------------------

PREFECTURE_ROMAJI = {"都": "to", "府": "fu", "県": "ken", "道": ""}  # the romaji is the slug's: Tokyo


def test_only_towns_and_villages_have_a_gun(reference):
    """A city, a designated-city ward or a special ward is in no 郡 (郡山市 is not in a 郡 「郡」)."""
    with_gun = {p.kind for p in reference.places.values() if p.gun}
    assert with_gun == {"town", "village"}
    assert all(p.gun.endswith("郡") and len(p.gun) > 1 for p in reference.places.values() if p.gun)


def test_every_reading_is_kana(reference):
    wrong = [(p.code, p.kana) for p in reference.places.values() if not re.fullmatch("[ぁ-ゖー]+", p.kana)]
    assert wrong == []


def test_every_romaji_is_ascii_and_agrees_with_the_kana(reference):
    """Folded as the search folds them (pykakasi's Hepburn of the kana, as resolve/readings.py
    reads names): 平野区 ひらのく is Hirano-ku, 矢祭町 やまつりまち Yamatsuri-machi."""
    from renkei_site.resolve.readings import fold_romaji, reading

    wrong = []
    for p in reference.places.values():
        romaji = p.romaji + (PREFECTURE_ROMAJI[p.name[-1]] if p.is_prefecture else "")
        if not re.fullmatch(r"[A-Z][a-z]*(-[a-z]+)*", p.romaji) or fold_romaji(reading(p.kana)[1]) != fold_romaji(
            romaji
        ):
            wrong.append((p.code, p.name, p.kana, p.romaji))
    assert wrong == []


@pytest.mark.parametrize(
    ("code", "kana", "romaji", "gun"),
    [
        ("072036", "こおりやまし", "Koriyama-shi", ""),
        ("292036", "やまとこおりやまし", "Yamatokoriyama-shi", ""),
        ("074829", "やまつりまち", "Yamatsuri-machi", "東白川郡"),
        ("193461", "いちかわみさとちょう", "Ichikawamisato-cho", "西八代郡"),
        ("271268", "ひらのく", "Hirano-ku", ""),
        ("261025", "かみぎょうく", "Kamigyo-ku", ""),
        ("143839", "まなづるまち", "Manazuru-machi", "足柄下郡"),
    ],
)
def test_rows_the_generator_once_got_wrong(reference, code, kana, romaji, gun):
    place = reference.places[code]
    assert (place.kana, place.romaji, place.gun) == (kana, romaji, gun)
