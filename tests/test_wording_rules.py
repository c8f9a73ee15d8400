"""The rules for any year's wording, as properties over the whole reference table: every place
written the ways a list may write it comes back as itself (or is reported), never as another."""

from __future__ import annotations

from collections import Counter

import pytest

from renkei_site.resolve.normalize import Normalizer
from renkei_site.resolve.reference import MUNICIPAL_KINDS, fold_key


@pytest.fixture(scope="module")
def normalizer(reference):
    return Normalizer(reference)


def read(normalizer, text):
    return normalizer.cell(text, "current", "partners_current").mentions


def codes(normalizer, text):
    return [(m.kind, m.code) for m in read(normalizer, text)]


def municipalities(reference):
    return [p for p in reference.places.values() if p.kind in MUNICIPAL_KINDS]


def pref_name(reference, place):
    return reference.prefecture_by_code[place.pref_code].name


def bare_names(reference):
    """How many municipalities answer to each bare name."""
    return Counter(p.name for p in municipalities(reference))


# --- a name broken by a space or a line break ----------------------------------------------------


def test_every_municipality_broken_at_any_position_comes_back_as_itself(reference, normalizer):
    wrong = []
    for place in municipalities(reference):
        for at in range(1, len(place.name)):
            for mark in (" ", "\n", "<br>"):
                text = pref_name(reference, place) + place.name[:at] + mark + place.name[at:]
                [mention] = read(normalizer, text) or [None]
                if mention is None or (mention.kind, mention.code) != ("municipality", place.code):
                    wrong.append(text)
                elif not mention.correction:  # the join is reported for review
                    wrong.append(f"{text} (not reported)")
    assert wrong == []


def test_a_broken_name_without_its_prefecture_and_with_its_gun(reference, normalizer):
    unique = bare_names(reference)
    wrong = []
    for place in municipalities(reference):
        at = len(place.name) // 2 or 1
        broken = place.name[:at] + " " + place.name[at:]
        texts = [pref_name(reference, place) + place.gun + broken] if place.gun else []
        if unique[place.name] == 1:
            texts.append(broken)
        wrong += [t for t in texts if codes(normalizer, t) != [("municipality", place.code)]]
    assert wrong == []


def test_every_municipality_with_and_without_its_gun_and_prefecture(reference, normalizer):
    unique = bare_names(reference)
    wrong = []
    for place in municipalities(reference):
        texts = [pref_name(reference, place) + place.name]
        texts += [pref_name(reference, place) + place.gun + place.name, place.gun + place.name] if place.gun else []
        texts += [place.name] if unique[place.name] == 1 else []
        wrong += [t for t in texts if codes(normalizer, t) != [("municipality", place.code)]]
    assert wrong == []


def test_a_space_between_two_names_keeps_them_two(normalizer):
    # 府中 + 市川市: the broken reading 府中市 would end inside a word, so it is not taken
    assert ("municipality", "122033") in codes(normalizer, "千葉県府中 市川市")
    assert codes(normalizer, "愛媛県(2019年度まで) 岩手県") == [("prefecture", "380008"), ("prefecture", "030007")]


def test_a_line_break_written_as_br_in_remarks_joins_the_name(normalizer):
    mentions = normalizer.cell("葛飾区と新潟県<br>長岡市との連携", "remarks", "remarks").mentions
    assert [(m.kind, m.code) for m in mentions] == [("municipality", "131229"), ("municipality", "152021")]


# --- wards of designated cities in a chain ---------------------------------------------------------


def test_every_ward_in_a_chain_after_another_ward_of_its_city_is_that_citys(reference, normalizer):
    wards: dict[str, list] = {}
    for place in reference.places.values():
        if place.kind == "ward":
            wards.setdefault(place.parent_code, []).append(place)
    wrong = []
    for city_code, city_wards in wards.items():
        city = reference.places[city_code]
        for place in city_wards:
            first = next(w for w in city_wards if w.code != place.code)
            for sep in ("・", "、"):
                text = f"{pref_name(reference, city)}{city.name}{first.name}{sep}{place.name}"
                if codes(normalizer, text) != [("municipality", first.code), ("municipality", place.code)]:
                    wrong.append(text)
    assert wrong == []


def test_tokyos_wards_in_a_tokyo_chain_stay_tokyos(reference, normalizer):
    special = [p for p in reference.places.values() if p.kind == "special_ward"]
    for place in special:
        text = f"東京都{special[0].name if place != special[0] else special[1].name}・{place.name}"
        assert codes(normalizer, text)[-1] == ("municipality", place.code), text
    assert codes(normalizer, "東京都北区・板橋区、神奈川県横浜市中区・西区") == [
        ("municipality", "131172"),
        ("municipality", "131199"),
        ("municipality", "141046"),
        ("municipality", "141038"),
    ]


# --- a municipality in a chain after another of its prefecture --------------------------------------


def test_every_municipality_in_a_chain_after_another_of_its_prefecture(reference, normalizer):
    by_pref: dict[str, list] = {}
    for place in municipalities(reference):
        by_pref.setdefault(place.pref_code, []).append(place)
    wrong = []
    for places in by_pref.values():
        for place in places:
            first = next(p for p in places if p.code != place.code and fold_key(p.name, {}) != place.name)
            text = f"{pref_name(reference, first)}{first.name}・{place.name}"
            if codes(normalizer, text) != [("municipality", first.code), ("municipality", place.code)]:
                wrong.append(text)
    assert wrong == []


# --- prefectures and cities written without their suffix -------------------------------------------


def stem(name):
    return name if name == "北海道" else name[:-1]


def test_every_prefecture_without_its_suffix_in_a_counted_list_comes_back_as_itself(reference, normalizer):
    prefectures = reference.prefectures
    wrong = []
    for i, place in enumerate(prefectures):
        others = [prefectures[(i + 1) % 47], prefectures[(i + 20) % 47]]
        names = [place, *others]
        unit = "".join(sorted({p.name[-1] for p in names}, key="都道府県".index))
        for sep in ("、", "・"):
            text = sep.join(stem(p.name) for p in names) + f"の{len(names)}{unit}"
            if codes(normalizer, text) != [("prefecture", p.code) for p in names]:
                wrong.append(text)
        text = f"(都道府県){stem(place.name)}、{stem(others[0].name)}"
        if codes(normalizer, text) != [("prefecture", place.code), ("prefecture", others[0].code)]:
            wrong.append(text)
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("兵庫、奈良及び和歌山の3県", ["280003", "290009", "300004"]),
        ("山形・新潟両県", ["060003", "150002"]),
        ("京都・大阪の2府", ["260002", "270008"]),
        ("岩手、秋田、山形の３県", ["030007", "050008", "060003"]),
        ("(道県)北海道、青森、岩手", ["010006", "020001", "030007"]),
        ("神奈川県及び横浜・川崎・相模原の3市", ["140007", "141003", "141305", "141500"]),
        ("千葉・さいたま両市", ["121002", "111007"]),
    ],
)
def test_names_without_suffix_where_the_wording_says_what_they_are(normalizer, text, expected):
    assert [m.code for m in read(normalizer, text)] == expected


@pytest.mark.parametrize(
    "text",
    ["兵庫、奈良の3県", "京都・大阪の2県", "兵庫、奈良"],  # the count or the suffix does not fit: not read so
)
def test_a_list_whose_wording_does_not_fit_is_not_read_as_one(normalizer, text):
    assert all(m.kind == "text" for m in read(normalizer, text))


def test_every_prefecture_written_with_another_suffix_is_read_and_reported(reference, normalizer):
    wrong = []
    for place in reference.prefectures:
        if place.name == "北海道":
            continue
        for suffix in {"都": "府県", "府": "県", "県": "府"}[place.name[-1]]:
            text = place.name[:-1] + suffix
            [mention] = read(normalizer, text)
            if (mention.code, mention.correction) != (place.code, f"{text}→{place.name}"):
                wrong.append(text)
    assert wrong == []


# --- variant characters and names found inside longer words ------------------------------------------


def test_every_municipality_in_each_variant_spelling_comes_back_as_itself_reported(reference, normalizer):
    variants = reference.rules.variants
    unreported = set(reference.rules.unreported_variants)
    olds: dict[str, list[str]] = {}
    for old, new in variants.items():
        olds.setdefault(new, []).append(old)
    wrong, tried = [], 0
    for place in municipalities(reference):
        for index, char in enumerate(place.name):
            for old in olds.get(char, ()):
                tried += 1
                text = pref_name(reference, place) + place.name[:index] + old + place.name[index + 1 :]
                [mention] = read(normalizer, text)
                reported = bool(mention.correction) or old in unreported
                if (mention.code, reported) != (place.code, True):
                    wrong.append(text)
    assert tried > 50 and wrong == []


def test_no_variant_folds_two_official_names_into_one(reference):
    variants = reference.rules.variants
    names = {p.name for p in reference.places.values()}
    assert len({fold_key(n, variants) for n in names}) == len(names)


def test_a_name_inside_a_longer_word_is_never_read_as_that_place(reference, normalizer):
    """Every municipality whose name ends with another municipality's name (東村山市, 村山市),
    with its first letter replaced by an unknown kanji, is never read as the shorter one."""
    by_name = {p.name: p for p in municipalities(reference)}
    wrong, tried = [], 0
    for place in municipalities(reference):
        for cut in range(1, 3):
            inner = by_name.get(place.name[cut:])
            if inner is None or inner.pref_code == place.pref_code or len(place.name[cut:]) < 2:
                continue
            tried += 1
            text = pref_name(reference, place) + "鬮" * cut + place.name[cut:]
            if any(m.code == inner.code for m in read(normalizer, text)):
                wrong.append(text)
    assert tried > 10 and wrong == []


def test_an_old_form_official_elsewhere_picks_one_of_several_corrections(normalizer):
    [mention] = read(normalizer, "静岡県嶋田市")  # 島田市, 磐田市, 下田市 are one letter away; 嶋 is 島
    assert (mention.code, mention.correction) == ("222097", "嶋田市→島田市")
    [mention] = read(normalizer, "東京都西多摩郡桧原村")  # not 長野県原村
    assert mention.code == "133078" and mention.correction


# --- former municipalities -------------------------------------------------------------------------


def test_every_former_municipality_reads_as_its_successor_with_a_note(reference, normalizer):
    shared = Counter((f.pref_code, f.name) for f in reference.former)
    variants = reference.rules.variants
    current = {fold_key(p.name, variants) for p in municipalities(reference)}
    wrong = []
    for former in reference.former:
        if shared[(former.pref_code, former.name)] > 1:  # one name, two successors: ambiguous
            continue
        successor = reference.places[former.successor_code]
        texts = [pref_name(reference, successor) + former.name, pref_name(reference, successor) + "旧" + former.name]
        if sum(f.name == former.name for f in reference.former) == 1:  # a name no other former one had
            texts += [f"旧{former.name}"] + ([former.name] if fold_key(former.name, variants) not in current else [])
        for text in texts:
            [mention] = read(normalizer, text)
            expected_note = f"→{reference.local_name(successor)}(旧{former.name}、{former.year}年に合併)"
            if (mention.code, mention.correction.endswith(expected_note)) != (successor.code, True):
                wrong.append(text)
    assert len(reference.former) > 900 and wrong == []


def test_a_former_name_two_successors_share_is_ambiguous(normalizer):
    [mention] = read(normalizer, "兵庫県一宮町")  # merged into 宍粟市 and into 淡路市
    assert (mention.kind, mention.candidates) == ("ambiguous", ("282260", "282278"))


# --- bodies named after a place ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("神奈川県警、埼玉県警", [("other", "140007"), ("other", "110001")]),
        ("福島県後期高齢者医療広域連合", [("other", "070009")]),
        ("横浜市消防局", [("other", "141003")]),
        ("(一社)長野県観光機構", [("other", "200000")]),
        ("弘前大学", [("other", "022021")]),
        ("印西地区環境整備事業組合(千葉県)、小山広域保健衛生組合(栃木県)", [("other", "122319"), ("other", "092088")]),
    ],
)
def test_a_body_named_after_a_place_is_other_located_there(normalizer, text, expected):
    assert codes(normalizer, text) == expected


def test_every_city_names_a_body_located_in_it(reference, normalizer):
    wrong = []
    for place in municipalities(reference):
        if place.kind != "city":
            continue
        for text in (
            pref_name(reference, place) + place.name + "消防局",
            pref_name(reference, place) + place.name + "大学",
        ):
            if codes(normalizer, text) != [("other", place.code)]:
                wrong.append(text)
    assert wrong == []


def test_a_body_named_after_a_stem_found_in_two_prefectures_is_not_located(normalizer):
    [mention] = read(normalizer, "府中大学")  # 府中市 is in Tokyo and in Hiroshima
    assert (mention.kind, mention.code) == ("other", "")


# --- groups ------------------------------------------------------------------------------------------


def test_every_prefecture_and_gun_group_is_read_by_its_label(reference, normalizer):
    wrong = []
    for label, group in reference.groups.items():
        for text in (label, *group.aliases):
            if [(m.kind, m.name) for m in read(normalizer, text)] != [("group", label)]:
                wrong.append(text)
    assert wrong == []


def test_a_municipality_written_right_after_another_prefecture_is_never_read_silently(reference, normalizer):
    prefectures = reference.prefectures
    names_in = {(p.pref_code, p.name) for p in municipalities(reference)}
    wrong = []
    for place in municipalities(reference):
        other = prefectures[int(place.pref_code) % 47]  # the next prefecture
        if (other.pref_code, place.name) in names_in:  # it has a municipality of that name too
            continue
        mentions = read(normalizer, other.name + place.name)
        if any(m.code == place.code and not m.correction for m in mentions):
            wrong.append(other.name + place.name)
        spaced = read(normalizer, f"{other.name} {place.name}")  # a space separates two names of a list
        if spaced[0].code != other.code and not spaced[0].correction:  # (or it names a former one: reported)
            wrong.append(f"{other.name} {place.name}")
    assert wrong == []
