"""Every way the lists name partners comes out typed and coded, or is reported."""

from __future__ import annotations

import pytest

from renkei_site.read.parse import parse_bytes
from renkei_site.resolve.normalize import Normalizer


@pytest.fixture(scope="module")
def normalizer(reference):
    return Normalizer(reference)


def resolve(normalizer, text, column="partners_current"):
    cells = {"partners_current": "-", "partners_past": "-", "remarks": ""}
    cells[column] = text
    role = "current" if column == "partners_current" else "past"
    return [m for m in normalizer.row(cells) if m.role == role]


def brief(mentions):
    return [(m.kind, m.code or m.name, m.qualifier) for m in mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("神奈川県川崎市・横浜市", [("municipality", "141305", ""), ("municipality", "141003", "")]),
        (
            "北海道札幌市・帯広市・石狩市・旭川市",
            [("municipality", c, "") for c in ("011002", "012076", "012351", "012041")],
        ),
        (
            "東京都、八王子市・茨城県、水戸市・栃木県、宇都宮市",
            [
                ("prefecture", "130001", ""),
                ("municipality", "132012", ""),
                ("prefecture", "080004", ""),
                ("municipality", "082015", ""),
                ("prefecture", "090000", ""),
                ("municipality", "092011", ""),
            ],
        ),
        ("浜松市", [("municipality", "221309", "")]),
        ("北海道虻田郡留寿都村、埼玉県秩父郡長瀞町", [("municipality", "013978", ""), ("municipality", "113638", "")]),
        ("東京都足立区・武蔵野市", [("municipality", "131211", ""), ("municipality", "132039", "")]),
        ("全国道府県", [("group", "全国道府県", "")]),
        ("首都圏九都県市", [("group", "九都県市", "")]),
        ("東北地域、中国・四国地域", [("group", "東北地域", ""), ("group", "中国・四国地域", "")]),
        (
            "(具体的な連携)茨城県 (間接的な連携)愛知県",
            [("prefecture", "080004", "具体的な連携"), ("prefecture", "230006", "間接的な連携")],
        ),
        (
            "[政令指定都市] 北海道札幌市 [関東地区] 茨城県",
            [("municipality", "011002", "政令指定都市"), ("prefecture", "080004", "関東地区")],
        ),
        ("①福島県 ②全国道府県等", [("prefecture", "070009", "①"), ("group", "全国道府県", "② 等")]),
        (
            "愛媛県(2019年度まで) 岩手県、北海道(2020年度まで)",
            [
                ("prefecture", "380008", "(2019年度まで)"),
                ("prefecture", "030007", "(2020年度まで)"),
                ("prefecture", "010006", "(2020年度まで)"),
            ],
        ),
        (
            "令和2年度(第二回)神奈川県、横浜市",
            [("prefecture", "140007", "令和2年度(第二回)"), ("municipality", "141003", "令和2年度(第二回)")],
        ),
        ("福島県(東京事務所)", [("prefecture", "070009", "(東京事務所)")]),
        (
            "大阪府、新潟県、和歌山県等",
            [("prefecture", "270008", ""), ("prefecture", "150002", ""), ("prefecture", "300004", "等")],
        ),
        (
            "(支援事業体)横浜市 (受援事業体)日本水道協会関東地方支部内の水道事業体",
            [
                ("municipality", "141003", "支援事業体"),
                ("other", "日本水道協会関東地方支部", "受援事業体 内の水道事業体"),  # wording kept whole
            ],
        ),
        ("(愛知県芸術劇場)", [("other", "230006", "")]),  # a body of 愛知県: its code
        ("-", [("none", "", "")]),
        ("未定", [("none", "", "")]),
        ("鎌ヶ谷市", [("municipality", "122246", "")]),
        ("千葉県袖ヶ浦市", [("municipality", "122297", "")]),
    ],
)
def test_partner_cells(normalizer, text, expected):
    assert brief(resolve(normalizer, text)) == expected


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("国及び被災地自治体(岩手県、宮城県、福島県等)", ["国"]),
        ("長野県、株式会社テスト", ["株式会社テスト"]),
        ("foo bar、長野県", ["foo bar"]),
        ("<script>alert(1)</script>", ["<script>alert(1)</script>"]),
        ("埼玉県及び千葉県", []),  # only a connective between two names
        ("全国道府県(連携都市であるさいたま市を含む)", []),  # 連携都市である describes さいたま市
        (
            "静岡県(都県内市町村、一部事務組合等火葬場設置者(各都県の判断で実施))",
            ["都県内市町村、一部事務組合等火葬場設置者(各都県の判断で実施)"],
        ),
    ],
)
def test_wording_that_names_no_known_government_is_kept_as_text(normalizer, text, kept):
    mentions = resolve(normalizer, text)
    assert [m.surface for m in mentions if m.kind == "text"] == kept


def test_member_lists_in_brackets_name_their_group(normalizer):
    mentions = resolve(normalizer, "全国道府県庁(新潟県・福島県)")
    assert [(m.kind, m.name, m.via) for m in mentions] == [
        ("group", "全国道府県", ""),
        ("prefecture", "新潟県", "全国道府県"),
        ("prefecture", "福島県", "全国道府県"),
    ]


def test_facilities_in_prefectures_are_other_bodies_with_the_prefecture(normalizer):
    mentions = resolve(normalizer, "(神奈川県、埼玉県内の文化施設等)")
    assert [(m.kind, m.name, m.pref_code) for m in mentions] == [
        ("other", "神奈川県内の文化施設", "14"),
        ("other", "埼玉県内の文化施設", "11"),
    ]


def test_ambiguous_bare_name_is_reported_with_candidates(normalizer):
    [mention] = resolve(normalizer, "府中市")
    assert (mention.kind, mention.code, mention.candidates) == ("ambiguous", "", ("132063", "342084"))


def test_unknown_place_is_reported_not_guessed(normalizer):
    [mention] = resolve(normalizer, "架空市")
    assert (mention.kind, mention.surface, mention.code) == ("unresolved", "架空市", "")


def test_typo_is_corrected_only_when_unambiguous(normalizer):
    [mention] = resolve(normalizer, "東京都文教区")
    assert (mention.kind, mention.code, mention.correction) == ("municipality", "131059", "文教区→文京区")
    [mention] = resolve(normalizer, "埼玉県秩父郡長瀬町")  # 長瀞町 and 横瀬町 are both one letter away
    assert (mention.kind, mention.candidates) == ("unresolved", ("113611", "113638"))


def test_see_remarks_takes_partners_from_the_remarks(normalizer):
    cells = {
        "partners_current": "※備考欄",
        "partners_past": "-",
        "remarks": "都が出資したファンドを通じて17道県(北海道、青森県)の発電所に投融資",
    }
    current = [m for m in normalizer.row(cells) if m.role == "current"]
    assert [(m.column, m.code) for m in current] == [("remarks", "010006"), ("remarks", "020001")]


def test_prose_yields_only_the_governments_named(normalizer):
    text = "令和4年3月31日時点でアセット開放等の取組を実施しているのは、山梨県、栃木県の2県。この他に、栃木県宇都宮市でも事業展開中。"
    mentions = resolve(normalizer, text)
    assert [m.code for m in mentions if m.kind != "text"] == ["190004", "090000", "092011"]
    assert [m.surface for m in mentions if m.kind == "text"] == [
        "令和4年3月31日時点でアセット開放等の取組を実施しているのは",
        "この他に",
    ]
    assert [m.qualifier for m in mentions if m.kind != "text"] == ["の2県", "の2県", "でも事業展開中"]


def test_whole_fy2022_list_every_code_exists_and_nothing_is_unresolved(seed_bytes, reference, normalizer):
    table = parse_bytes(seed_bytes, "seed.txt")
    kinds = {}
    for row in table.rows:
        mentions = normalizer.row(row.text, (2022, int(row.text["no"])))
        assert mentions, row.text["no"]  # every row records its partners, or that it has none
        for m in mentions:
            kinds[m.kind] = kinds.get(m.kind, 0) + 1
            if m.kind in ("prefecture", "municipality"):
                assert m.code in reference.places
                assert reference.places[m.code].pref_code == m.pref_code
    assert kinds.get("unresolved", 0) == 0 and kinds.get("ambiguous", 0) == 0
    assert kinds["municipality"] > 250 and kinds["prefecture"] > 300


def test_labels_inside_a_numbered_part_keep_the_number(normalizer):
    text = "①全国の政令指定都市 ②東日本大震災時:浦安市、香取市 熊本地震時:熊本市 ③令和元年房総半島台風:君津市"
    mentions = normalizer.cell(text, "current", "remarks").mentions
    assert [(m.name, m.qualifier) for m in mentions] == [
        ("政令指定都市", "①"),
        ("浦安市", "② 東日本大震災時"),
        ("香取市", "② 東日本大震災時"),
        ("熊本市", "② 熊本地震時"),
        ("君津市", "③ 令和元年房総半島台風"),
    ]


# --- places in 備考, bodies located in a place, wording kept whole -----------------------------


def test_places_named_in_the_remarks_are_mentions_of_their_own_role(normalizer):
    cells = {
        "partners_current": "全国道府県",
        "partners_past": "-",
        "remarks": "本件とは別に、福島県、三重県、岐阜県、広島県との連携によりマッチング支援等を実施している。",
    }
    remarks = [m for m in normalizer.row(cells) if m.role == "remarks"]
    assert [(m.column, m.kind, m.name, m.code) for m in remarks] == [
        ("remarks", "prefecture", "福島県", "070009"),
        ("remarks", "prefecture", "三重県", "240001"),
        ("remarks", "prefecture", "岐阜県", "210005"),
        ("remarks", "prefecture", "広島県", "340006"),
    ]


def test_remarks_are_read_as_partners_when_a_cell_sends_the_reader_there(normalizer):
    cells = {"partners_current": "※備考欄", "partners_past": "-", "remarks": "2021年度は横浜市で開催"}
    assert [(m.role, m.column, m.name) for m in normalizer.row(cells) if m.column == "remarks"] == [
        ("current", "remarks", "横浜市")
    ]


@pytest.mark.parametrize(
    ("remarks", "expected"),
    [
        ("東京都水道局と共催。", []),  # the list's author is not a place its remarks name
        (
            "2016年度に、(公財)東京都環境公社、福島県、東京都の4者で協定",
            [("other", "130001"), ("prefecture", "070009")],
        ),
        ("総務局の被災地復興支援事業の一環として実施", []),  # a group word in prose is not read
        ("東京都北区と連携", [("municipality", "131172")]),
        ("府中市で開催", [("ambiguous", "")]),  # reported for review, never guessed
        ("架空市で開催", []),  # prose is not searched for unknown place names
    ],
)
def test_what_the_remarks_name(normalizer, remarks, expected):
    cells = {"partners_current": "-", "partners_past": "-", "remarks": remarks}
    assert [(m.kind, m.code) for m in normalizer.row(cells) if m.role == "remarks"] == expected


def test_cells_whose_line_breaks_were_joined_away_read_the_same(seed_bytes, normalizer):
    """The fixed-width and PDF readers join a cell's lines with no space next to a wide
    character: every FY2022 partner cell, so joined, gives the same mentions as with its spaces."""
    import functools

    from renkei_site.read.table import join_wrapped

    def places(cells):
        return [(m.role, m.kind, m.code or m.name, m.qualifier.replace(" ", "")) for m in normalizer.row(cells)]

    for row in parse_bytes(seed_bytes, "seed.txt").rows:
        joined = {key: functools.reduce(join_wrapped, value.split(" ")) for key, value in row.text.items()}
        assert places(joined) == places(row.text), row.text["no"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "(北海道、青森県、福島県白河市、茨城県水戸市内の劇場等)",
            [
                ("other", "北海道内の劇場", "01", "010006"),
                ("other", "青森県内の劇場", "02", "020001"),
                ("other", "白河市内の劇場", "07", "072052"),
                ("other", "水戸市内の劇場", "08", "082015"),
            ],
        ),
        ("愛知県芸術劇場", [("other", "愛知県芸術劇場", "23", "230006")]),
        ("広島市水道局", [("other", "広島市水道局", "34", "341002")]),
        (
            "福島県ハイテクプラザ、群馬県",
            [("other", "福島県ハイテクプラザ", "07", "070009"), ("prefecture", "群馬県", "10", "100005")],
        ),
    ],
)
def test_a_body_located_in_a_place_keeps_the_places_codes(normalizer, text, expected):
    assert [(m.kind, m.name, m.pref_code, m.code) for m in resolve(normalizer, text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "全国の地方公共団体の技術管理部門及び試験研究機関の60団体(2021年)",
            [("group", "全国の自治体", "の技術管理部門及び試験研究機関の60団体(2021年)")],
        ),
        ("結婚支援に取り組む全国道府県等", [("group", "全国道府県", "結婚支援に取り組む 等")]),
        (
            "全国の地方公共団体の建設技術試験研究機関及びこれに準ずる機関 50機関(1977年発足当時)",
            [("group", "全国の自治体", "の建設技術試験研究機関及びこれに準ずる機関 50機関(1977年発足当時)")],
        ),
        ("北海道の一部の市町村", [("prefecture", "010006", "の一部の市町村")]),
    ],
)
def test_wording_around_a_name_is_its_qualifier(normalizer, text, expected):
    assert brief(resolve(normalizer, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "茨城県※東京コンソーシアム内の広域連携自治体東京都大田区",
            [("prefecture", "080004", "※東京コンソーシアム内の広域連携自治体"), ("municipality", "131113", "")],
        ),
        ("関係自治体なし令和2年度(第二回)横浜市", [("none", "", ""), ("municipality", "141003", "令和2年度(第二回)")]),
        ("なしの県", [("text", "", "")]),
    ],
)
def test_a_note_or_a_none_marker_ends_where_the_next_line_began(normalizer, text, expected):
    assert brief(resolve(normalizer, text)) == expected
