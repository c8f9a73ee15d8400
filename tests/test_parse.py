"""The parser reads every form the list arrives in, keeps every cell, refuses bad input."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from layout_render import render_layout

from renkei_site.errors import InputError
from renkei_site.read.parse import parse_bytes
from renkei_site.read.table import COLUMNS, clean, is_wide, join_wrapped


def cells_of(table):
    return [[row.text[key] for key in COLUMNS] for row in table.rows]


def test_tsv_seed_gives_79_rows_with_title_year_and_date(seed_bytes):
    table = parse_bytes(seed_bytes, "seed.txt")
    assert (table.form, table.encoding, len(table.rows)) == ("tsv", "utf-8", 79)
    assert table.title == "令和4年度 全国各地との連携事業一覧(令和4年4月1日時点)"
    assert (table.fiscal_year, table.as_of) == (2022, "2022-04-01")
    assert [int(r.text["no"]) for r in table.rows] == list(range(1, 80))
    first = table.rows[0]
    assert (first.source.first, first.text["bureau"], first.text["status"]) == (6, "政策企画局", "継続")


def test_every_source_cell_survives_verbatim(seed_bytes):
    table = parse_bytes(seed_bytes, "seed.txt")
    data_lines = [line for line in seed_bytes.decode().split("\n") if line[:1].isdigit()]
    assert len(data_lines) == len(table.rows)
    for line, row in zip(data_lines, table.rows, strict=True):
        assert [row.raw[k] for k in COLUMNS] == line.split("\t")
        assert row.text == {k: clean(v) for k, v in row.raw.items()}


@pytest.mark.parametrize(
    ("encode", "expected_encoding"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.replace("\n", "\r\n").encode("cp932"), "cp932"),
        (lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ],
    ids=["utf8", "utf8-bom", "sjis-crlf", "utf8-crlf"],
)
def test_encodings_and_line_ends_detected_without_a_flag(seed_bytes, encode, expected_encoding):
    baseline = parse_bytes(seed_bytes, "seed.txt")
    table = parse_bytes(encode(seed_bytes.decode("utf-8")), "other.txt")
    assert table.encoding == expected_encoding
    assert cells_of(table) == cells_of(baseline)
    assert [r.source.first for r in table.rows] == [r.source.first for r in baseline.rows]


def layout_of(seed_bytes: bytes, **options) -> tuple:
    baseline = parse_bytes(seed_bytes, "seed.txt")
    rows = [[row.raw[k] for k in COLUMNS] for row in baseline.rows]
    return baseline, render_layout(baseline.title, rows, **options)


def test_layout_form_gives_the_same_79_records(seed_bytes):
    baseline, text = layout_of(seed_bytes)
    assert "\f" in text and "- 2 -" in text and text.count("No.") > 3  # pages, footers, repeated headers
    table = parse_bytes(text.encode("cp932"), "layout.txt")
    assert (table.form, table.encoding, len(table.rows)) == ("layout", "cp932", 79)
    assert (table.fiscal_year, table.as_of) == (2022, "2022-04-01")
    differing = []
    for ours, theirs in zip(table.rows, baseline.rows, strict=True):
        for key in COLUMNS:
            a, b = ours.text[key], theirs.text[key]
            # Wrapped text comes back whole: the same characters in the same order.
            assert a.replace(" ", "") == b.replace(" ", ""), (theirs.text["no"], key)
            # Each space of the dump is a line break of the layout, joined by the rule.
            if a != functools.reduce(join_wrapped, b.split(" ")):
                differing.append((theirs.text["no"], key))
    # A hard line break between narrow characters that falls exactly at the column edge
    # cannot be told from a soft wrap in fixed-width text; only those few cells may lose a space.
    assert len(differing) <= 6, differing


def test_layout_with_other_widths_and_page_lengths(seed_bytes):
    widths = [5, 14, 10, 10, 30, 40, 36, 44, 34]
    baseline, text = layout_of(seed_bytes, widths=widths, page_lines=35, indent=0)
    table = parse_bytes(text.encode("utf-8"), "layout.txt")
    assert len(table.rows) == 79
    for ours, theirs in zip(table.rows, baseline.rows, strict=True):
        assert ours.text["name"].replace(" ", "") == theirs.text["name"].replace(" ", "")
        assert ours.text["remarks"].replace(" ", "") == theirs.text["remarks"].replace(" ", "")


def test_layout_url_wrapped_over_lines_is_joined_back(seed_bytes):
    _, text = layout_of(seed_bytes)
    assert "https://www.ecosystem.metro.tokyo.lg.jp/members/" not in text  # it was wrapped
    table = parse_bytes(text.encode("utf-8"), "layout.txt")
    assert 'href="https://www.ecosystem.metro.tokyo.lg.jp/members/"' in table.rows[0].text["remarks"]


def test_title_flag_free_reiwa_gannen():
    text = (
        "令和元年度 全国各地との連携事業一覧(令和元年5月1日時点)\n"
        + HEADER
        + "1\t総務局\t産業\t新規\t事業\t-\t-\t内容\t\n"
    )
    table = parse_bytes(text.encode(), "t.txt")
    assert (table.fiscal_year, table.as_of) == (2019, "2019-05-01")


HEADER = "No.\t所管局\t分野\t新規継続\t事業名\t関係自治体(現在)\t関係自治体(過去)\t事業内容(全国各地との連携事業に関する内容)\t備考\n"
TITLE = "令和4年度 全国各地との連携事業一覧(令和4年4月1日時点)\n"
GOOD = "1\t総務局\t産業\t新規\t事業A\t-\t-\t内容\t\n"


def problems_of(data: bytes) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_bytes(data, "bad.txt")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TITLE + HEADER + "1\t総務局\t産業\t新規\t事業A\t-\t-\t内容\n", ["bad.txt:3: row has 8 cells, expected 9"]),
        (TITLE + HEADER + GOOD.replace("\n", "\textra\n"), ["bad.txt:3: row has 10 cells, expected 9"]),
        (TITLE + HEADER + GOOD + GOOD.replace("事業A", "事業B"), ["bad.txt:4: duplicate No. 1 (first at line 3)"]),
        (TITLE + HEADER + GOOD.replace("1\t", "一\t", 1), ["bad.txt:3: No. is not a number: '一'"]),
        (TITLE + GOOD, ["bad.txt:1: no header line (No. 所管局 分野 … 備考) found"]),
        ("", ["bad.txt:1: empty file: no title, header or rows"]),
        ("\n \n", ["bad.txt:1: empty file: no title, header or rows"]),
    ],
    ids=["too-few-cells", "too-many-cells", "duplicate-no", "non-numeric-no", "no-header", "empty", "blank"],
)
def test_bad_input_is_refused_with_file_and_line(text, expected):
    assert problems_of(text.encode("utf-8")) == expected


def test_undecodable_bytes_name_the_line():
    data = (TITLE + HEADER).encode("utf-8") + b"1\t\xff\xfe\x80\x81\t\n"
    [message] = problems_of(data)
    assert message.startswith("bad.txt:3: undecodable bytes")
    assert "neither UTF-8 nor Shift_JIS" in message


def test_all_problems_are_reported_at_once():
    text = TITLE + HEADER + "1\t総務局\n" + GOOD + GOOD
    assert problems_of(text.encode()) == [
        "bad.txt:3: row has 2 cells, expected 9",
        "bad.txt:5: duplicate No. 1 (first at line 4)",
    ]


@pytest.mark.parametrize(
    "payload",
    ["<script>alert(1)</script>", "javascript:alert(1)", "x" * 200_000],
    ids=["script", "javascript-url", "huge-cell"],
)
def test_odd_but_legal_content_is_kept_as_text(payload):
    for column in range(1, 9):
        cells = ["1", "総務局", "産業", "新規", "事業A", "-", "-", "内容", ""]
        cells[column] = payload
        table = parse_bytes((TITLE + HEADER + "\t".join(cells) + "\n").encode(), "odd.txt")
        assert table.rows[0].raw[COLUMNS[column]] == payload


WIDE = st.sampled_from("自大玉東京都局、。「」（）ＡＢ１あアー々")
NARROW = st.sampled_from("abcXYZ019-/.:()<>ｱｶﾞ")  # ASCII and half-width kana
SIDE = st.lists(WIDE | NARROW, min_size=1, max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(before=SIDE, after=SIDE, soft=st.booleans())
def test_join_rule_no_space_next_to_a_wide_character(before, after, soft):
    joined = join_wrapped(before, after, soft)
    narrow_pair = not is_wide(before[-1]) and not is_wide(after[0])
    assert joined == (f"{before} {after}" if narrow_pair and not soft else before + after)
    assert join_wrapped(before + " \n", "\u3000" + after, soft) == joined  # edge whitespace is no text
    assert join_wrapped("", after, soft) == after and join_wrapped(before, "", soft) == before


def test_join_rule_examples():
    assert join_wrapped("デジタル", "サービス局") == "デジタルサービス局"
    assert join_wrapped("8県。", "この他に") == "8県。この他に"
    assert join_wrapped("HPIに掲載", "<a") == "HPIに掲載<a"
    assert join_wrapped("<a", 'href="https://x/">') == '<a href="https://x/">'
    assert join_wrapped("https://www.ecosys", "tem.metro", soft=True) == "https://www.ecosystem.metro"


def test_layout_bureau_wrapped_in_a_narrow_column_is_one_known_name(seed_bytes):
    baseline = parse_bytes(seed_bytes, "seed.txt")
    rows = [[row.raw[k] for k in COLUMNS] for row in baseline.rows]
    rows[1][1] = "デジタル サービス局"  # 2: a hard break after デジタル, short of the column's edge
    widths = [4, 10, 8, 8, 22, 34, 30, 36, 28]
    text = render_layout(baseline.title, rows, widths=widths)
    assert next(line for line in text.splitlines() if line.startswith("  2 ")).startswith("  2      デジタル   ")
    table = parse_bytes(text.encode("utf-8"), "layout.txt")
    bureaus = [row.text["bureau"] for row in table.rows]
    assert bureaus == [row.text["bureau"] for row in baseline.rows]
    assert table.rows[1].text["bureau"] == "デジタルサービス局"
    assert table.rows[1].raw["bureau"] == "デジタル\nサービス局"


def numbered(*numbers: int) -> str:
    return "".join(GOOD.replace("1\t", f"{n}\t", 1).replace("事業A", f"事業{n}") for n in numbers)


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        (
            (1, 2, 6, 7),
            ["bad.txt:5: No. 3–5 missing (a row deleted?); if the list really skips them, import with --allow-gaps"],
        ),
        (
            (2, 3),
            ["bad.txt:3: No. 1 missing (a row deleted?); if the list really skips them, import with --allow-gaps"],
        ),
        (
            (1, 2, 5, 6, 3, 4),
            ["bad.txt:7: No. 3–4 out of order: after No. 6"],
        ),
    ],
    ids=["gap", "first-missing", "out-of-order"],
)
def test_the_no_column_is_a_sequence_in_every_text_form(numbers, expected):
    text = TITLE + HEADER + numbered(*numbers)
    assert problems_of(text.encode()) == expected
    rows = [line.split("\t") for line in numbered(*numbers).splitlines()]
    laid_out = render_layout(TITLE.strip(), rows).encode()
    assert [problem.split(":", 2)[2] for problem in problems_of(laid_out)] == [e.split(":", 2)[2] for e in expected]


def test_a_gap_the_user_says_is_real_is_read_and_named():
    table = parse_bytes((TITLE + HEADER + numbered(1, 2, 6, 9)).encode(), "gap.txt", allow_gaps=True)
    assert ([row.text["no"] for row in table.rows], table.gaps) == (["1", "2", "6", "9"], ("3–5", "7–8"))
    with pytest.raises(InputError, match="out of order"):  # a number out of place is never allowed
        parse_bytes((TITLE + HEADER + numbered(1, 3, 2)).encode(), "gap.txt", allow_gaps=True)


@pytest.mark.parametrize(
    ("title_block", "as_of"),
    [
        ("令和4年度 全国各地との連携事業一覧\n令和4年4月1日時点\n", "2022-04-01"),
        ("令和4年度 全国各地との連携事業一覧\n                    (令和4年4月1日時点)\n", "2022-04-01"),
        ("(令和4年4月1日現在)\n令和4年度 全国各地との連携事業一覧\n", "2022-04-01"),
        ("令和4年度 全国各地との連携事業一覧\n【2022年4月1日 現在】\n", "2022-04-01"),
        ("令和4年度 全国各地との連携事業一覧\n令和４年１２月１日時点\n", "2022-12-01"),
        ("令和元年度 全国各地との連携事業一覧\n令和元年5月1日時点\n", "2019-05-01"),
        ("令和4年度 全国各地との連携事業一覧\n令和4年2月30日時点\n", None),  # no such day
        ("令和4年度 全国各地との連携事業一覧\n", None),
    ],
    ids=["own-line", "own-line-right", "above-title", "western-brackets", "full-width", "gannen", "bad-day", "none"],
)
def test_the_as_of_date_is_read_wherever_it_sits_in_the_title_block(title_block, as_of):
    table = parse_bytes((title_block + HEADER + GOOD).encode(), "t.txt")
    assert (table.title.startswith("令和"), table.as_of) == (True, as_of)
    assert "全国各地との連携事業一覧" in table.title


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_with_their_line(char):
    text = TITLE + HEADER + GOOD + GOOD.replace("1\t", "2\t", 1).replace("事業A", f"事業{char}B")
    [problem] = problems_of(text.encode())
    assert problem == (
        f"bad.txt:4: control character U+{ord(char):04X} in the text: remove it (only tabs and line breaks are allowed)"
    )
