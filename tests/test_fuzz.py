"""Property-based fuzzing: any bytes or table give records or a located error, in linear time.

Linear time is checked without a clock: the number of Python lines the parser
and normalizer execute for an input repeated 8 times must grow about 8-fold
(a quadratic step would grow 64-fold).  Wall-clock figures live in bench/.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import make_test_pdfs
import pytest
from conftest import CHROMIUM
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from layout_render import HEADER, render_layout

from renkei_site.errors import InputError
from renkei_site.read.parse import parse_bytes
from renkei_site.records import projects_from_table
from renkei_site.resolve.mention import KINDS
from renkei_site.resolve.normalize import Normalizer
from renkei_site.resolve.readings import reading
from renkei_site.resolve.wording import leading, unmatched

FILE = "fuzz.txt"
TOKENS = [
    "長野県", "松本市", "横浜市", "府中市", "川崎市", "北海道", "東京都", "大田区", "秩父郡", "長瀞町", "文教区",
    "ほげ町", "全国道府県", "九都県市", "首都圏", "東北地域", "(", ")", "(", ")", "[", "]", "【", "】",
    "(具体的な連携)", "(間接的な連携)", "※", "※備考欄", "備考欄", "、", "・", " ", "\u3000", ",", ":", "等",
    "(2019年度まで)", "(東京事務所)", "内の", "施設", "-", "未定", "なし", "①", "②", "令和4年度", "及び",
    "<script>", "&amp;", "https://example.com/", "1", "a", "\u2028", "ｶﾜｻｷ", "ヶ", "髙",
    "の", "に", "と", "を", "で", "から", "を含む", "の60団体", "結婚支援に取り組む", "「", "」", "。",
    "広島市水道局", "劇場", "センター",
]  # fmt: skip
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

token_text = st.lists(st.sampled_from(TOKENS) | st.text(max_size=3), max_size=25).map("".join)
cell_text = token_text.map(lambda t: t.replace("\t", " ").replace("\n", " ").replace("\r", " "))


@pytest.fixture(scope="module")
def normalizer(reference):
    return Normalizer(reference)


def parse_or_located_error(data: bytes):
    """The table, or None after checking the error names this file, a line and a problem."""
    try:
        return parse_bytes(data, FILE)
    except InputError as error:
        assert error.problems
        for problem in error.problems:
            # a PDF or a workbook that cannot be read at all (or an .xls) is one problem of the whole file
            whole_file = problem.source.unit in ("page", "row") and problem.line == 0
            assert problem.file == FILE and (problem.line >= 1 or whole_file) and problem.message
        return None


def read_all(table, normalizer):
    projects = projects_from_table(table, 2023, reading, lambda cells, no: normalizer.row(cells, (2023, no)), FILE)
    assert len(projects) == len(table.rows)  # no row dropped
    for project in projects:
        assert all(m.kind in KINDS for m in project.mentions)
    return projects


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_give_a_table_or_a_located_error(data):
    parse_or_located_error(data)


@SETTINGS
@given(st.binary(max_size=600))
def test_random_bytes_after_a_real_header(data):
    head = "令和5年度 全国各地との連携事業一覧\n" + "\t".join(HEADER) + "\n"
    parse_or_located_error(head.encode("utf-8") + data)


def row_strategy():
    number = st.integers(0, 200).map(str) | cell_text
    return st.tuples(number, *[cell_text] * 8).map(list)


@SETTINGS
@given(rows=st.lists(row_strategy(), max_size=12), layout=st.booleans(), sjis=st.booleans())
def test_random_tables_give_records_or_a_located_error(normalizer, rows, layout, sjis):
    title = "令和5年度 全国各地との連携事業一覧(令和5年4月1日時点)"
    if layout:
        text = render_layout(title, rows)
    else:
        text = "\n".join([title, "\t".join(HEADER), *("\t".join(row) for row in rows)]) + "\n"
    try:
        data = text.encode("cp932") if sjis else text.encode("utf-8")
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    table = parse_or_located_error(data)
    if table is not None:
        read_all(table, normalizer)
        if not layout:
            assert len(table.rows) == len(rows)


@SETTINGS
@given(text=token_text)
def test_random_partner_cells_give_mentions_from_the_text(normalizer, text):
    mentions = normalizer.cell(text, "current", "current").mentions
    for mention in mentions:
        assert mention.kind in KINDS
        assert mention.surface in text or mention.kind == "none"
    assert_wording_kept_whole(mentions, normalizer)


def assert_wording_kept_whole(mentions, normalizer) -> None:
    """A `text` mention never starts with a particle and never has a bracket without its partner;
    neither does a qualifier."""
    for mention in mentions:
        if mention.kind == "text":
            assert mention.surface and leading(mention.surface, normalizer.particles) is None, mention
            assert unmatched(mention.surface) == [], mention
        assert unmatched(mention.qualifier) == [], mention


@SETTINGS
@given(remarks=token_text)
def test_random_remarks_name_only_places_and_bodies(normalizer, remarks):
    cells = {"partners_current": "全国道府県", "partners_past": "-", "remarks": remarks}
    named = [m for m in normalizer.row(cells) if m.role == "remarks"]
    assert all(m.column == "remarks" and m.kind in ("prefecture", "municipality", "other", "ambiguous") for m in named)
    assert all(m.surface in remarks for m in named)


def test_fy2022_wording_is_kept_whole(seed_bytes, normalizer):
    for row in parse_bytes(seed_bytes, "seed.txt").rows:
        assert_wording_kept_whole(normalizer.row(row.text, (2022, int(row.text["no"]))), normalizer)


def lines_executed(function, *args) -> int:
    """How many lines of renkei_site code a call executes (deterministic, unlike a clock)."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def trace(frame, event, arg):
        return local if "renkei_site" in frame.f_code.co_filename else None

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        function(*args)
    except InputError:
        pass
    finally:
        sys.settrace(previous)
    return count


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=token_text.filter(lambda t: len(t) >= 3))
def test_normalizer_time_is_linear_in_the_input(normalizer, unit):
    small = lines_executed(normalizer.cell, unit * 10, "current", "current")
    large = lines_executed(normalizer.cell, unit * 80, "current", "current")
    assert large <= 8 * small * 1.5 + 200, (unit, small, large)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=row_strategy(), layout=st.booleans())
def test_parser_time_is_linear_in_the_input(row, layout):
    def document(count: int) -> bytes:
        rows = [[str(i + 1), *row[1:]] for i in range(count)]
        if layout:
            return render_layout("令和5年度 一覧", rows).encode("utf-8")
        return ("令和5年度 一覧\n" + "\t".join(HEADER) + "\n" + "".join("\t".join(r) + "\n" for r in rows)).encode()

    small = lines_executed(parse_bytes, document(5), FILE)
    large = lines_executed(parse_bytes, document(40), FILE)
    assert large <= 8 * small * 1.5 + 200, (row, small, large)


QUADRATIC = """
def work(n):
    for i in range(n):
        for j in range(n):
            pass
"""


def test_the_line_counter_sees_quadratic_work():
    namespace: dict = {}
    exec(compile(QUADRATIC, "renkei_site/stand_in.py", "exec"), namespace)  # counted as package code
    small, large = lines_executed(namespace["work"], 10), lines_executed(namespace["work"], 80)
    assert large > 8 * small * 1.5 + 200


# --- PDF bytes and page order ---------------------------------------------------

PDF_MUTATIONS = 40


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory):
    """The first 14 rows of FY2022 printed by Chromium on A4 (three pages, rows cut across them),
    and its table."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (./scripts/test installs it)")
    path = make_test_pdfs.make_list_pdf(
        tmp_path_factory.mktemp("fuzz") / "small.pdf", "a4", make_test_pdfs.fy2022_rows()[:14]
    )
    data = path.read_bytes()
    return data, parse_bytes(data, FILE)


def mutated(data: bytes, rng) -> bytes:
    """One kind of damage a copy or a download does: bytes overwritten, a run cut out or doubled,
    the file cut short (and its end put back, so it is not merely truncated)."""
    at = rng.randrange(len(data))
    length = rng.randint(1, 64)
    kind = rng.choice(["overwrite", "delete", "duplicate", "cut"])
    if kind == "overwrite":
        return data[:at] + bytes(rng.randrange(256) for _ in range(length)) + data[at + length :]
    if kind == "delete":
        return data[:at] + data[at + length :]
    if kind == "duplicate":
        return data[:at] + data[at : at + length] * 2 + data[at + length :]
    return data[:at] + data[-1024:]


def read_right_or_refused(data: bytes, truth) -> bool:
    """Either a located refusal, or the rows of the undamaged PDF — every character of every cell,
    in order (a damaged width table moves glyphs, so a space may come or go); True when refused."""
    table = parse_or_located_error(data)
    if table is None:
        return True
    assert [row.source for row in table.rows] == [row.source for row in truth.rows]
    assert [squeezed(row.raw) for row in table.rows] == [squeezed(row.raw) for row in truth.rows]
    return False


def squeezed(cells: dict[str, str]) -> dict[str, str]:
    return {key: "".join(value.split()) for key, value in cells.items()}


def test_damaged_pdf_bytes_are_refused_in_one_located_line_or_read_right(small_pdf):
    data, truth = small_pdf
    rng = random.Random(20261201)
    refused = sum(read_right_or_refused(mutated(data, rng), truth) for _ in range(PDF_MUTATIONS))
    assert refused >= PDF_MUTATIONS // 4  # the damage is real: many are refused


def test_pages_out_of_order_or_missing_are_refused_never_read_wrongly(small_pdf, tmp_path):
    """Each page lost, each two neighbours swapped, all reversed, and a few seeded shuffles: refused,
    except pages lost from the end, whose rows no number can miss (the rows left are read right)."""
    data, truth = small_pdf
    pages = truth.rows[-1].source.last
    assert pages >= 3 and any(row.source.last > row.source.first for row in truth.rows)
    source = tmp_path / "small.pdf"
    source.write_bytes(data)
    every = list(range(pages))
    orders = [every[:n] + every[n + 1 :] for n in every] + [every[::-1]]
    orders += [[*every[:n], n + 1, n, *every[n + 2 :]] for n in range(pages - 1)]
    rng = random.Random(26)
    orders += [rng.sample(every, pages) for _ in range(3)]
    for order in orders:
        table = parse_or_located_error(make_test_pdfs.rearranged(source, order))
        if table is not None:
            assert order == every[: len(order)], order  # only the end lost
            kept = [row for row in truth.rows if row.source.last <= len(order)]
            assert [squeezed(row.raw) for row in table.rows] == [squeezed(row.raw) for row in kept], order
