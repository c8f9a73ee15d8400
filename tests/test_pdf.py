"""The list as Tokyo publishes it: a PDF, read straight from its ruled table (or, printed without
ruling lines, from its text laid out in columns).

The PDFs are made at run time by scripts/make_test_pdfs.py (Debian's Chromium
printing the FY2022 list as an HTML table, in four page layouts: two ruled, one with no lines,
one with rules between rows only), never downloaded; so are the bad ones.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CHROMIUM, ROOT, seed_path, visible_files

from renkei_site import pipeline, records
from renkei_site.errors import InputError, Problem
from renkei_site.read.chars import is_look_alike, standard_chars
from renkei_site.read.parse import parse_bytes
from renkei_site.read.table import COLUMNS

sys.path.insert(0, str(ROOT / "scripts"))
import make_test_pdfs

LAYOUTS = sorted(make_test_pdfs.LAYOUTS)
RULED = ["a3", "a4"]  # pdftotext's text of the unruled ones loses a column edge in row 1 (the PDF reader does not)


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """a4.pdf, a3.pdf and the bad PDFs, printed once per test run."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (./scripts/test installs it)")
    return make_test_pdfs.make_all(tmp_path_factory.mktemp("pdfs"))


@pytest.fixture(scope="session")
def baseline(seed_bytes):
    return parse_bytes(seed_bytes, "seed.txt")


@pytest.fixture(scope="session")
def tables(pdfs):
    """Each layout read once."""
    return {layout: parse_bytes(pdfs[layout].read_bytes(), f"{layout}.pdf") for layout in LAYOUTS}


def squeezed(row) -> dict[str, str]:
    return {key: "".join(row.text[key].split()) for key in COLUMNS}


def assert_same_records(table, baseline) -> None:
    """The 79 records of the tab-separated source: same numbers, every cell equal but for whitespace."""
    assert [row.text["no"] for row in table.rows] == [row.text["no"] for row in baseline.rows]
    for ours, theirs in zip(table.rows, baseline.rows, strict=True):
        assert squeezed(ours) == squeezed(theirs), theirs.text["no"]


def assert_standard_characters(table) -> None:
    for row in table.rows:
        for cells in (row.raw, row.text):
            left = {char for cell in cells.values() for char in cell if is_look_alike(char)}
            assert not left, (row.text["no"], left)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_page_layout_gives_the_79_records(tables, baseline, layout):
    table = tables[layout]
    assert (table.form, table.encoding, len(table.rows)) == ("pdf", "pdf", 79)
    assert table.title == "令和4年度 全国各地との連携事業一覧(令和4年4月1日時点)"
    assert (table.fiscal_year, table.as_of) == (2022, "2022-04-01")
    assert_same_records(table, baseline)
    assert_standard_characters(table)


def test_the_pdfs_really_hold_look_alikes(pdfs):
    """What a naive extraction gives: Kangxi radicals, supplement radicals and U+2027."""
    from renkei_site.read.pdf import extract

    pages = extract(pdfs["a4"].read_bytes(), "a4.pdf")
    drawn = {c.text for page in pages for table in page.tables for row in table for cell in row for c in cell.chars}
    assert {"\u2f83", "\u2f24", "\u2f5f", "\u2027"} <= drawn  # ⾃ ⼤ ⽟ ‧
    assert {"\u2ed1", "\u2ea0"} <= drawn  # ⻑ ⺠: not NFKC's, the reviewed table's


def test_rows_breaking_across_pages_are_joined_with_the_join_rule(tables, baseline):
    """In the A4 layout every space of the dump is a line break: joined by the rule, the cells are
    the dump's cells with no space next to a wide character, exactly."""
    import functools

    from renkei_site.read.table import join_wrapped

    table = tables["a4"]
    split = [row for row in table.rows if row.source.last > row.source.first]
    assert len(split) >= 5  # rows that break across pages
    assert all(row.source.first >= 1 and row.source.top and row.source.top > 0 for row in table.rows)
    for ours, theirs in zip(table.rows, baseline.rows, strict=True):
        for key in COLUMNS:
            expected = functools.reduce(join_wrapped, theirs.text[key].split(" ")) if theirs.text[key] else ""
            assert ours.text[key] == expected, (theirs.text["no"], key)
    first = table.rows[0]
    assert first.raw["bureau"] == "政策企画局" and "\n" in first.raw["name"]
    remarks = first.text["remarks"]  # a URL broken where the cell ended comes back whole
    assert 'href="https://www.ecosystem.metro.tokyo.lg.jp/members/"' in remarks


@pytest.mark.parametrize("layout", ["a4-unruled", "a3-rows"])
def test_a_list_printed_without_column_lines_is_read_from_its_text_located_by_page(pdfs, tables, layout):
    """No ruled table holds the rows (shaded header cells at most): the pages are laid out as text and
    read in columns; rows are located by page, those breaking across pages too."""
    from renkei_site.read.pdf import extract

    pages = extract(pdfs[layout].read_bytes(), f"{layout}.pdf")
    ruled_rows = [row for page in pages for table in page.tables for row in table if len(row) > 1]
    assert len(ruled_rows) <= len(pages)  # the header row at most, once a page
    table = tables[layout]
    assert all(row.source.unit == "page" and row.source.top is not None and row.source.top > 0 for row in table.rows)
    assert [row.source.first for row in table.rows] == sorted(row.source.first for row in table.rows)
    assert table.rows[-1].source.last == len(pages) and any(r.source.last > r.source.first for r in table.rows)


def test_a_bad_row_in_a_list_without_lines_is_located_by_page(pdfs, tmp_path):
    """A row the text reader cannot place is reported on the page it is on, not a line of a text
    nobody sees."""
    rows = make_test_pdfs.fy2022_rows()
    rows[40][1] = ""  # No.41 without its bureau
    bad = make_test_pdfs.make_list_pdf(tmp_path / "bad.pdf", "a4-unruled", rows)
    with pytest.raises(InputError) as caught:
        parse_bytes(bad.read_bytes(), "bad.pdf")
    assert [str(problem) for problem in caught.value.problems] == ["bad.pdf:page 7: No. 41: 所管局 is empty"]


def test_an_empty_cell_in_pdftotext_text_is_reported_not_filled_from_the_next_column(tmp_path):
    """In a proportional font's text a row's first words fill the leading columns; an empty 所管局
    must not pull 分野 into it (and 新規継続 into 分野): the row's check reports it."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed (./scripts/test installs it)")
    rows = make_test_pdfs.fy2022_rows()
    rows[40][1] = ""
    bad = make_test_pdfs.make_list_pdf(tmp_path / "bad.pdf", "a4", rows)
    subprocess.run(["pdftotext", "-layout", str(bad), str(tmp_path / "bad.txt")], check=True, timeout=60)
    with pytest.raises(InputError) as caught:
        parse_bytes((tmp_path / "bad.txt").read_bytes(), "bad.txt")
    [problem] = caught.value.problems
    assert problem.message == "No. 41: 所管局 is empty"
    line = (tmp_path / "bad.txt").read_text(encoding="utf-8").split("\n")[problem.line - 1]
    assert line.split()[:2] == ["41", "スポー"], line  # the row's first line, its 分野 wrapped


def test_a_pdf_is_known_by_its_bytes_whatever_its_name(pdfs):
    with pytest.raises(InputError, match=r"^list\.txt: no table"):
        parse_bytes(pdfs["no-table"].read_bytes(), "list.txt")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("⾃治体・⼤⽥区", "自治体・大田区"),
        ("⻑野県⺠‧⻄⽇本", "長野県民・西日本"),
        ("神⼾市", "神戸市"),  # not NFKC's 戶
        ("ﬁle", "file"),
        ("(１)ＡＢＣ　ｶﾀｶﾅ", "(１)ＡＢＣ　ｶﾀｶﾅ"),  # full- and half-width forms are the list's own: kept
    ],
)
def test_standard_characters(text, expected):
    assert standard_chars(text) == expected


def test_radicals_map_to_ideographs_and_the_rest_of_their_blocks_is_flagged():
    import unicodedata

    kangxi = [chr(code) for code in range(0x2F00, 0x2FD6)]
    assert all(unicodedata.name(standard_chars(c)).startswith("CJK UNIFIED IDEOGRAPH") for c in kangxi)
    supplement = [chr(code) for code in range(0x2E80, 0x2EF4) if unicodedata.category(chr(code)) != "Cn"]
    mapped = [c for c in supplement if standard_chars(c) != c]
    assert len(mapped) >= 80
    assert all("IDEOGRAPH" in unicodedata.name(standard_chars(c)) for c in mapped)
    assert all(is_look_alike(c) for c in supplement + kangxi + ["\u2027", "\u2219"])
    assert not any(is_look_alike(c) for c in "自大玉・戸長ー-ａ１")


def test_pdf_problems_name_the_page():
    assert str(Problem.at("a.pdf", 3, "duplicate No. 2", unit="page")) == "a.pdf:page 3: duplicate No. 2"
    assert str(Problem.at("a.pdf", 0, "encrypted PDF", unit="page")) == "a.pdf: encrypted PDF"
    assert str(Problem.at("a.txt", 3, "row has 2 cells")) == "a.txt:3: row has 2 cells"


def test_bad_rows_in_a_pdf_are_located_by_page(pdfs, baseline, tmp_path):
    rows = [[row.raw[key] for key in COLUMNS] for row in baseline.rows[:6]]
    rows[2][0] = "2"  # a duplicate No.
    rows[4][0] = "五"
    rows[5][4] = ""  # 事業名 empty
    path = make_test_pdfs.make_list_pdf(tmp_path / "bad-rows.pdf", "a4", rows)
    with pytest.raises(InputError) as caught:
        parse_bytes(path.read_bytes(), "bad-rows.pdf")
    assert [str(p) for p in caught.value.problems] == [
        "bad-rows.pdf:page 1: duplicate No. 2 (first at page 1)",
        "bad-rows.pdf:page 2: No. 6: 事業名 is empty",
        "bad-rows.pdf:page 2: No. is not a number: '五'",
    ]


def test_import_keeps_the_pdf_and_the_pages_deterministically(pdfs, data_copy, tmp_path):
    source = tmp_path / "令和4年度一覧.pdf"
    shutil.copy(pdfs["a4"], source)
    result = pipeline.import_list(source, data_copy)
    folder = data_copy / "2022"
    assert result.year.source["form"] == "pdf"
    assert "rows read: 79  (source pdf)" in result.report
    assert sorted(p.name for p in folder.iterdir()) == [
        "projects.yaml",
        f"source-{result.year.source['sha256'][:12]}.pdf",
    ]
    first_text = (folder / "projects.yaml").read_bytes()
    assert b"source_pages:\n  - 1\n  - 1\n  source_top: 88\n" in first_text
    pipeline.import_list(source, data_copy, force=True)
    assert (folder / "projects.yaml").read_bytes() == first_text  # same PDF, same bytes
    year = records.load_year(folder / "projects.yaml", pipeline.load_reference(data_copy))
    spans = {p.no: ((p.source.first, p.source.last), p.source.top, p.source.unit) for p in year.projects}
    assert spans[1] == ((1, 1), 88, "page")
    split = next(no for no, ((first, last), _, _) in spans.items() if first != last)
    pipeline.build(data_copy, tmp_path / "site")
    page = (tmp_path / "site" / "2022" / "projects" / f"{split:03d}" / "index.html").read_text(encoding="utf-8")
    first, last = spans[split][0]
    assert f"』(PDF) {first}ページ–{last}ページ</p>" in page  # 出典:東京都『…』(PDF) 3ページ, as issue 22 cites it


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "renkei_site.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


BAD = {
    "scanned": "bad.pdf:page 1: no text layer: the pages are images only (a scan?); run OCR on it",
    "truncated": "bad.pdf: truncated PDF (it does not end with %%EOF)",
    "damaged": "bad.pdf: damaged PDF, cannot be read (",
    "encrypted": "bad.pdf: encrypted PDF (it needs a password)",
    "no-table": "bad.pdf: no table with the header row No. 所管局 分野 … 備考 on its 1 page(s)",
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_pdf_gets_one_clear_line_and_nothing_is_written(pdfs, data_copy, kind):
    if kind not in pdfs:
        pytest.skip("pypdf is not installed (pip install -e '.[test]')")
    shutil.copy(pdfs[kind], data_copy.parent / "bad.pdf")
    before = visible_files(data_copy)
    done = cli("import", "bad.pdf", "--data", "data", cwd=data_copy.parent)
    assert done.returncode == 1
    problem, summary = done.stderr.splitlines()
    assert problem.startswith(BAD[kind])
    assert summary == "renkei-site import: 1 problem; nothing written"
    for noise in ("Traceback", "pdfminer", "FontBBox", "WARNING"):
        assert noise not in done.stderr + done.stdout
    assert visible_files(data_copy) == before


def test_reading_a_text_list_or_building_never_imports_pdfplumber(data_2022, tmp_path):
    code = (
        "import sys; from pathlib import Path; from renkei_site import pipeline; "
        f"pipeline.read_list(Path({str(seed_path())!r}), pipeline.load_reference(Path({str(data_2022)!r}))); "
        f"pipeline.build(Path({str(data_2022)!r}), Path({str(tmp_path / 'site')!r})); "
        "print(sorted(m for m in sys.modules if m.startswith(('pdfplumber', 'pdfminer'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("layout", RULED)
def test_what_pdftotext_layout_prints_of_a_ruled_pdf_gives_the_79_records(pdfs, baseline, layout, tmp_path):
    """The other way in: the fixed-width reader on `pdftotext -layout` text of a ruled table in a
    proportional font (columns in characters, a few apart from line to line; headers repeated,
    rows cut by page breaks, `- N -` footers)."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed (./scripts/test installs it)")
    text = tmp_path / f"{layout}.txt"
    subprocess.run(["pdftotext", "-layout", str(pdfs[layout]), str(text)], check=True, timeout=60)
    table = parse_bytes(text.read_bytes(), f"{layout}.txt")
    assert (table.form, table.fiscal_year, table.as_of) == ("layout", 2022, "2022-04-01")
    assert_same_records(table, baseline)
    assert_standard_characters(table)


def test_a_bracket_drawn_left_of_the_one_before_it_keeps_its_place():
    """Spacing trim draws 「 after ( but left of it; the page's drawing order is the reading order."""
    from renkei_site.read.pdf import Char, line_text, text_lines

    chars = [Char("推", 0, 8, 0, 8, 8, 0), Char("(", 8, 11, 0, 8, 8, 1), Char("「", 7, 15, 0, 8, 8, 2)]
    chars.append(Char("W", 15, 20, 0, 8, 8, 3))
    [line] = text_lines(list(reversed(chars)))
    assert line_text(line) == "推(「W"
    far = [Char("b", 30, 35, 0, 8, 8, 0), Char("a", 0, 5, 0, 8, 8, 1)]  # drawn right to left: read by x
    assert [line_text(line) for line in text_lines(far)] == ["a b"]


def test_library_log_lines_are_silenced_while_a_pdf_is_read(caplog):
    import logging

    from renkei_site.read.pdf import _quiet_pdfminer

    with caplog.at_level(logging.WARNING), _quiet_pdfminer():
        logging.getLogger("pdfminer.pdffont").warning("Could not get FontBBox from font descriptor")
    assert not caplog.records
    assert logging.getLogger("pdfminer").level == logging.NOTSET  # and restored after


def test_swapped_pages_are_refused_never_joined_to_the_wrong_row(pdfs, tables):
    """Pages 2 and 3 swapped: the end of the row cut at the bottom of page 1 would be joined to the
    first row of the old page 3; the numbers run out of order.  Both are said, by page."""
    pytest.importorskip("pypdf")
    pages = tables["a4"].rows[-1].source.last
    with pytest.raises(InputError) as caught:
        parse_bytes(make_test_pdfs.rearranged(pdfs["a4"], [0, 2, 1, *range(3, pages)]), "swapped.pdf")
    messages = [str(problem) for problem in caught.value.problems]
    assert any(m.startswith("swapped.pdf:page 2: No. ") and "is continued at the top of page 2" in m for m in messages)
    assert any(m.startswith("swapped.pdf:page 3: No. ") and "out of order" in m for m in messages), messages


def test_a_lost_page_is_refused_naming_the_numbers_even_when_gaps_are_allowed(pdfs, tables):
    pytest.importorskip("pypdf")
    rows, pages = tables["a4"].rows, tables["a4"].rows[-1].source.last
    lost = [int(row.text["no"]) for row in rows if row.source.first == 4]
    data = make_test_pdfs.rearranged(pdfs["a4"], [index for index in range(pages) if index != 3])
    with pytest.raises(InputError) as caught:
        parse_bytes(data, "lost.pdf")
    gap = f"lost.pdf:page 4: No. {lost[0]}–{lost[-1]} missing (a page lost?); "
    assert any(str(problem).startswith(gap) for problem in caught.value.problems), caught.value.problems
    cut = next(row for row in rows if row.source.first == 3 and row.source.last == 4)  # its end was on page 4
    with pytest.raises(InputError) as caught:
        parse_bytes(data, "lost.pdf", allow_gaps=True)  # the gap is allowed; a row cut short is not
    [problem] = caught.value.problems
    assert str(problem).startswith(f"lost.pdf:page 4: No. {cut.text['no']} is ")
    assert problem.message.endswith("(a page lost or out of order?)")
    assert f"cut at the end of page 3, but this page begins with No. {lost[-1] + 1}" in problem.message or (
        "is continued at the top of page 4" in problem.message
    )


def test_a_failure_of_the_library_on_any_page_is_one_line_naming_the_page(pdfs):
    """pdfplumber parses a page when it is used: the work on each page is inside the guard."""
    from renkei_site.read.pdf import each_page

    def work(page):
        if page.page_number == 3:
            raise ValueError("too many values to unpack")
        return page.page_number

    assert each_page(pdfs["a4"].read_bytes(), "a4.pdf", lambda page: page.page_number)[:3] == [1, 2, 3]
    with pytest.raises(InputError) as caught:
        each_page(pdfs["a4"].read_bytes(), "a4.pdf", work)
    assert str(caught.value) == (
        "a4.pdf:page 3: damaged PDF, cannot be read (ValueError: too many values to unpack): copy or download it again"
    )


def drawn(text: str, x0: float, top: float) -> list:
    """A line of characters 2 points wide drawn from (x0, top)."""
    from renkei_site.read.cells import Char

    return [Char(c, x0 + 2 * i, x0 + 2 * i + 2, top, top + 2, 2, i) for i, c in enumerate(text)]


def ruled_page(rows: list[list[str | None]], number: int = 1):
    """A page with one ruled table, 60 points a column, 10 a row: a string is a cell with that text,
    None a place a merged cell covers (no box, as pdfplumber gives it)."""
    from renkei_site.read.cells import place

    boxes, chars = [], []
    for i, row in enumerate(rows):
        boxes.append(
            [None if text is None else (60.0 * j, 10.0 * i, 60.0 * j + 60, 10.0 * i + 10) for j, text in enumerate(row)]
        )
        for j, text in enumerate(row):
            chars += drawn(text or "", 60 * j + 1, 10 * i + 4)
    for i, row in enumerate(rows):  # a merged cell's box runs down over the places it covers
        for j, text in enumerate(row):
            below = next((k for k in range(i + 1, len(rows)) if rows[k][j] is not None), len(rows))
            if text is not None and below > i + 1:
                boxes[i][j] = (60.0 * j, 10.0 * i, 60.0 * j + 60, 10.0 * below)
    return place(number, chars, [boxes])


HEADER_ROW = ["No.", "所管局", "分野", "新規継続", "事業名", "関係自治体(現在)", "関係自治体(過去)", "事業内容", "備考"]


def test_a_merged_cell_in_a_ruled_pdf_applies_to_every_row_it_spans():
    from renkei_site.read.ruled import read_rows

    rows = [
        HEADER_ROW,
        ["1", "総務局", "産業", "新規", "事業A", "-", "-", "内容", ""],
        ["2", None, None, "継続", "事業B", "-", "-", "内容", ""],
        ["3", None, "観光", "継続", "事業C", "-", "-", "内容", ""],
    ]
    read = read_rows([ruled_page(rows)], "m.pdf")
    assert [(r.text["no"], r.text["bureau"], r.text["field"]) for r in read] == [
        ("1", "総務局", "産業"),
        ("2", "総務局", "産業"),
        ("3", "総務局", "観光"),
    ]


def test_a_row_a_missing_rule_broke_says_so_with_its_no():
    from renkei_site.read.ruled import read_rows

    rows = [HEADER_ROW, ["1", None, "産業", "新規", "事業A", "-", "-", "内容", ""]]
    with pytest.raises(InputError) as caught:
        read_rows([ruled_page(rows, number=3)], "m.pdf")
    assert [str(p) for p in caught.value.problems] == [
        "m.pdf:page 3: No. 1: no cell under 所管局: a rule missing, or a merged cell that starts nowhere"
    ]
