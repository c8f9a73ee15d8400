"""Lists made in an office: the .xlsx itself, and its PDF exported by LibreOffice Calc.

The workbooks are made at run time by scripts/make_test_xlsx.py from the FY2022
tab-separated list (openpyxl: title merged over the columns, the as-of date on its
own row, a header with 新規⏎継続, in-cell line breaks, print titles, 「- N -」 footers;
所管局 and 分野 merged down the rows that share them in two layouts; landscape and
portrait; Gothic and Mincho), and exported to PDF, .xls and .ods by Debian's
``libreoffice-calc-nogui`` — once per test run.  Each must give the 79 records of the
tab-separated list.
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, visible_files

from renkei_site import pipeline, records
from renkei_site.errors import InputError
from renkei_site.read.parse import parse_bytes
from renkei_site.read.table import COLUMNS, join_wrapped

sys.path.insert(0, str(ROOT / "scripts"))
import make_test_xlsx

LAYOUTS = sorted(make_test_xlsx.LAYOUTS)
MERGED = [name for name in LAYOUTS if make_test_xlsx.LAYOUTS[name].merged]
SHEET = "連携事業一覧"


@pytest.fixture(scope="session")
def office(tmp_path_factory) -> dict[str, Path]:
    """Every layout's .xlsx and, with LibreOffice, its .pdf, and landscape.xls and .ods: made once."""
    folder = tmp_path_factory.mktemp("office")
    return make_test_xlsx.make_all(folder, pdf=make_test_xlsx.has_soffice())


@pytest.fixture(scope="session")
def calc_pdfs(office) -> dict[str, Path]:
    if not make_test_xlsx.has_soffice():
        pytest.skip("LibreOffice is not installed (./scripts/test installs libreoffice-calc-nogui)")
    return {name: office[f"{name}.pdf"] for name in LAYOUTS}


@pytest.fixture(scope="session")
def baseline(seed_bytes):
    return parse_bytes(seed_bytes, "seed.txt")


def squeezed(row) -> dict[str, str]:
    return {key: "".join(row.text[key].split()) for key in COLUMNS}


def joined(text: str) -> str:
    """A cell of the dump whose spaces became line breaks, joined back by the rule."""
    return functools.reduce(join_wrapped, text.split(" ")) if text else ""


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_workbook_gives_the_79_records_located_by_sheet_row(office, baseline, layout):
    table = parse_bytes(office[f"{layout}.xlsx"].read_bytes(), f"{layout}.xlsx")
    assert (table.form, len(table.rows)) == ("xlsx", 79)
    assert (table.title, table.fiscal_year, table.as_of) == ("令和4年度 全国各地との連携事業一覧", 2022, "2022-04-01")
    for index, (ours, theirs) in enumerate(zip(table.rows, baseline.rows, strict=True)):
        assert {key: ours.text[key] for key in COLUMNS} == {key: joined(theirs.text[key]) for key in COLUMNS}
        assert ours.raw["name"] == theirs.raw["name"].replace(" ", "\n")
        assert (ours.source.unit, ours.source.sheet, ours.source.first) == ("row", SHEET, index + 4)


def test_a_merged_cell_in_a_workbook_applies_to_every_row_it_spans(office):
    """The merged layout really merges: 所管局 is written once per run, and read on every row."""
    from openpyxl import load_workbook

    sheet = load_workbook(office["merged.xlsx"]).active
    bureau_ranges = [r for r in sheet.merged_cells.ranges if r.min_col == 2 and r.max_row > r.min_row]
    assert len(bureau_ranges) >= 8
    longest = max(bureau_ranges, key=lambda r: r.max_row - r.min_row)
    table = parse_bytes(office["merged.xlsx"].read_bytes(), "merged.xlsx")
    spanned = [row for row in table.rows if longest.min_row <= row.source.first <= longest.max_row]
    assert len(spanned) == longest.max_row - longest.min_row + 1
    assert {row.text["bureau"] for row in spanned} == {sheet.cell(longest.min_row, 2).value}


def edited(path: Path, out: Path, edit) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(path)
    edit(book.active)
    book.save(out)
    return out


def test_a_bad_row_in_a_workbook_is_located_by_sheet_and_row(office, tmp_path):
    def edit(sheet):
        sheet.cell(4 + 8, 5).value = None  # No.9 without its 事業名
        sheet.cell(4 + 20, 1).value = "二十一"

    bad = edited(office["landscape.xlsx"], tmp_path / "bad.xlsx", edit)
    with pytest.raises(InputError) as caught:
        parse_bytes(bad.read_bytes(), "bad.xlsx")
    assert [str(p) for p in caught.value.problems] == [
        f"bad.xlsx:sheet {SHEET}:row 12: No. 9: 事業名 is empty",
        f"bad.xlsx:sheet {SHEET}:row 24: No. is not a number: '二十一'",
    ]


def test_a_row_deleted_from_a_workbook_is_refused_unless_the_gap_is_allowed(office, tmp_path):
    bad = edited(office["landscape.xlsx"], tmp_path / "gap.xlsx", lambda sheet: sheet.delete_rows(4 + 17, 3))
    with pytest.raises(InputError) as caught:
        parse_bytes(bad.read_bytes(), "gap.xlsx")
    assert [str(p) for p in caught.value.problems] == [
        f"gap.xlsx:sheet {SHEET}:row 21: No. 18–20 missing (a row deleted?); "
        "if the list really skips them, import with --allow-gaps"
    ]
    table = parse_bytes(bad.read_bytes(), "gap.xlsx", allow_gaps=True)
    assert (len(table.rows), table.gaps) == (76, ("18–20",))


def test_a_nul_in_a_workbook_cell_is_refused(office, tmp_path):
    bad = edited(office["landscape.xlsx"], tmp_path / "nul.xlsx", lambda s: setattr(s.cell(6, 5), "value", "a_x0000_b"))
    with pytest.raises(InputError, match=rf"^nul\.xlsx:sheet {SHEET}:row 6: control character U\+0000"):
        parse_bytes(bad.read_bytes(), "nul.xlsx")


def test_the_workbook_is_known_by_its_bytes_and_an_xlsx_without_the_list_says_so(office, tmp_path):
    from openpyxl import Workbook

    assert parse_bytes(office["landscape.xlsx"].read_bytes(), "list.txt").form == "xlsx"
    book = Workbook()
    book.active.title = "メモ"
    book.active["A1"] = "説明会のお知らせ"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(InputError) as caught:
        parse_bytes(buffer.getvalue(), "memo.xlsx")
    assert (
        str(caught.value)
        == "memo.xlsx: no sheet has the header row No. 所管局 分野 … 備考 in its first rows (sheets: メモ)"
    )
    damaged = office["landscape.xlsx"].read_bytes()
    damaged = damaged[: len(damaged) // 2]
    with pytest.raises(InputError, match=r"^memo\.xlsx: .*(damaged|copy it again|save it)"):
        parse_bytes(damaged, "memo.xlsx")


def an_ods() -> bytes:
    """An OpenDocument spreadsheet's first bytes, as the format requires: ``mimetype`` stored first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "an old binary Excel workbook (.xls, Excel 97–2003)"),
        (an_ods(), "an OpenDocument spreadsheet (.ods)"),
    ],
)
def test_xls_and_ods_get_one_line_saying_what_they_are(data, says):
    with pytest.raises(InputError) as caught:
        parse_bytes(data, "list.xls")
    [problem] = caught.value.problems
    assert str(problem).startswith(f"list.xls: {says}") and "save it as .xlsx" in str(problem)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "renkei_site.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.mark.parametrize("saved_as", ["landscape.xls", "landscape.ods"])
def test_importing_what_calc_saves_as_xls_or_ods_says_so_and_writes_nothing(office, calc_pdfs, data_copy, saved_as):
    (data_copy.parent / saved_as).write_bytes(office[saved_as].read_bytes())
    before = visible_files(data_copy)
    done = cli("import", saved_as, "--data", "data", cwd=data_copy.parent)
    assert done.returncode == 1
    problem, summary = done.stderr.splitlines()
    assert problem.startswith(f"{saved_as}: an ") and problem.endswith("save it as .xlsx (no password)")
    assert summary == "renkei-site import: 1 problem; nothing written"
    assert visible_files(data_copy) == before


def test_import_keeps_the_workbook_and_its_sheet_rows(office, data_copy, tmp_path):
    source = tmp_path / "一覧.xlsx"
    source.write_bytes(office["merged.xlsx"].read_bytes())
    result = pipeline.import_list(source, data_copy, jobs=1)
    assert result.year.source["form"] == "xlsx" and result.year.as_of == "2022-04-01"
    assert "rows read: 79  (source xlsx)" in result.report
    folder = data_copy / "2022"
    assert (folder / f"source-{result.year.source['sha256'][:12]}.xlsx").read_bytes() == source.read_bytes()
    text = (folder / "projects.yaml").read_text(encoding="utf-8")
    assert f"source_sheet: {SHEET}\n  source_rows:\n  - 4\n  - 4\n" in text
    year = records.load_year(folder / "projects.yaml", pipeline.load_reference(data_copy))
    assert [p.source.first for p in year.projects] == list(range(4, 83))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_calc_pdf_gives_the_79_records_and_the_as_of_date_on_its_own_line(calc_pdfs, baseline, layout):
    table = parse_bytes(calc_pdfs[layout].read_bytes(), f"{layout}.pdf")
    assert (table.form, len(table.rows)) == ("pdf", 79)
    assert (table.title, table.fiscal_year, table.as_of) == ("令和4年度 全国各地との連携事業一覧", 2022, "2022-04-01")
    assert [row.text["no"] for row in table.rows] == [str(n) for n in range(1, 80)]
    for ours, theirs in zip(table.rows, baseline.rows, strict=True):
        assert squeezed(ours) == squeezed(theirs), theirs.text["no"]
    assert table.rows[-1].source.first > table.rows[0].source.first  # over several pages


@pytest.mark.parametrize("layout", MERGED)
def test_a_calc_pdf_really_has_merged_cells_drawn_outside_their_rows(calc_pdfs, baseline, layout):
    """What makes the merged layouts hard: places with no rule (covered), and merged text drawn
    outside the table (below or above it, or under the repeated header row)."""
    from renkei_site.read.pdf import extract

    pages = extract(calc_pdfs[layout].read_bytes(), f"{layout}.pdf")
    covered = [c for page in pages for table in page.tables for row in table for c in row if c.covered]
    assert len(covered) >= 40
    tops, bottoms = [p.tables[0][0][0].top for p in pages], [p.tables[-1][-1][0].bottom for p in pages]
    bureaus = "".join({row.text["bureau"] for row in baseline.rows})
    drawn_outside = [
        page.number
        for page, top, bottom in zip(pages, tops, bottoms, strict=True)
        if any(c.top > bottom or c.bottom < top for c in page.outside if c.text in bureaus)
    ]
    headers = ["".join(c.text for c in cell.chars) for page in pages for cell in page.tables[0][0]]
    under_header = [
        text for text in headers if text not in [label.replace("\n", "") for label in make_test_xlsx.HEADER]
    ]
    assert len(drawn_outside) + len(under_header) >= 3


def test_reading_a_text_list_never_imports_openpyxl():
    code = (
        "import sys; from renkei_site.read.parse import parse_bytes; "
        f"parse_bytes(open({str(next((ROOT / 'data' / '2022').glob('source-*.txt')))!r}, 'rb').read(), 'seed.txt'); "
        "print(sorted(m for m in sys.modules if m.startswith('openpyxl')))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
