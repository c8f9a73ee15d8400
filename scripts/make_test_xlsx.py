"""Make the workbooks the tests and the bench import: the FY2022 list laid out in a sheet as an
office lays it out, and its PDF exported by LibreOffice Calc.

    python scripts/make_test_xlsx.py OUT_DIR            # every layout: NAME.xlsx and NAME.pdf
    python scripts/make_test_xlsx.py OUT_DIR --no-pdf   # the workbooks only

The list (data/2022/source-*.txt, read with the project's own reader) becomes a
sheet (openpyxl): the title merged over the columns, the as-of date alone in the row
below it, a grey header row with a line break inside 新規⏎継続, thin borders on
every cell, the header row as print title, a 「- 1 -」 footer, the page fitted to its
width; each space of a cell a line break inside the cell.  The layouts:

- ``landscape``: A4 landscape, Gothic (Noto Sans CJK JP);
- ``portrait``: A4 portrait, Mincho (Noto Serif CJK JP), narrow columns, very tall rows;
- ``merged``: A4 landscape, 所管局 and 分野 merged down the rows that share them;
- ``merged-portrait``: A4 portrait, Mincho, 所管局 merged, rows pushed to the next page.

Debian's ``libreoffice-calc-nogui`` converts each workbook to PDF
(``soffice --headless --convert-to pdf``), and the landscape one to .xls and .ods.
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from make_test_pdfs import fy2022_rows  # noqa: E402

TITLE = "令和4年度 全国各地との連携事業一覧"
AS_OF = "(令和4年4月1日時点)"
HEADER = (
    "No.",
    "所管局",
    "分野",
    "新規\n継続",
    "事業名",
    "関係自治体(現在)",
    "関係自治体(過去)",
    "事業内容(全国各地との連携事業に関する内容)",
    "備考",
)
GOTHIC, MINCHO = "Noto Sans CJK JP", "Noto Serif CJK JP"
SOFFICE = "soffice"


@dataclass(frozen=True)
class Layout:
    landscape: bool
    font: str
    size: float
    widths: tuple[float, ...]  # in characters, one per column
    merged: tuple[int, ...] = ()  # columns (0-based) merged down the rows that share a value


WIDE = (5, 12, 9, 6, 24, 30, 22, 40, 26)
NARROW = (4, 9, 7, 5, 14, 16, 12, 30, 14)
LAYOUTS = {
    "landscape": Layout(True, GOTHIC, 9, WIDE),
    "portrait": Layout(False, MINCHO, 9, NARROW),
    "merged": Layout(True, GOTHIC, 9, WIDE, merged=(1, 2)),
    "merged-portrait": Layout(False, MINCHO, 8, NARROW, merged=(1,)),
}
FIRST_ROW = 4  # the sheet row of the list's first project (1: title, 2: as-of date, 3: header)


def runs(values: list[str]) -> list[tuple[int, int]]:
    """(first, last) indexes of each run of equal values."""
    spans, start = [], 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            spans.append((start, index - 1))
            start = index
    return spans


LINE = 1.45  # a line's height, in font sizes
POINTS_PER_WIDTH = 5.6  # a column width of 1 (a digit of the default font), in points


def lines_in(text: str, width: float, size: float) -> int:
    """How many lines a cell's text takes when wrapped in a column ``width`` wide (an estimate on the
    generous side: a wide character is one em, a narrow one half)."""
    room = max(width * POINTS_PER_WIDTH - 6, size) / size
    count = 0
    for part in text.split(" "):
        ems = sum(1 if unicodedata.east_asian_width(char) in "WF" else 0.6 for char in part)
        count += max(1, math.ceil(ems / room))
    return count


def row_height(row: list[str], layout: Layout) -> float:
    """Room for the tallest cell of a row (Calc keeps the heights a workbook gives)."""
    lines = max(lines_in(text, width, layout.size) for text, width in zip(row, layout.widths, strict=True))
    return min(409, (lines + 0.5) * layout.size * LINE)


def make_workbook(out: Path, layout: Layout, rows: list[list[str]] | None = None) -> Path:
    """The list as an office's sheet (see the module's docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    rows = fy2022_rows() if rows is None else rows
    book = Workbook()
    sheet = book.active
    sheet.title = "連携事業一覧"
    font, thin = Font(name=layout.font, size=layout.size), Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    last = get_column_letter(len(HEADER))
    sheet["A1"] = TITLE
    sheet["A1"].font = Font(name=layout.font, size=layout.size + 5, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet[f"{last}2"] = AS_OF
    sheet[f"{last}2"].font = font
    sheet[f"{last}2"].alignment = Alignment(horizontal="right")
    for column, label in enumerate(HEADER, start=1):
        cell = sheet.cell(3, column, label)
        cell.font, cell.border = font, border
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for index, row in enumerate(rows):
        for column, text in enumerate(row, start=1):
            value = int(text) if column == 1 and text.isdigit() else text.replace(" ", "\n")
            cell = sheet.cell(FIRST_ROW + index, column, value if value != "" else None)
            cell.font, cell.border, cell.alignment = font, border, wrap
    for index, row in enumerate(rows):
        sheet.row_dimensions[FIRST_ROW + index].height = row_height(row, layout)
    sheet.row_dimensions[3].height = 2.6 * layout.size * LINE
    for column in layout.merged:
        for first, end in runs([row[column] for row in rows]):
            if end > first:
                letter = get_column_letter(column + 1)
                sheet.merge_cells(f"{letter}{FIRST_ROW + first}:{letter}{FIRST_ROW + end}")
                top = sheet[f"{letter}{FIRST_ROW + first}"]
                top.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for column, width in enumerate(layout.widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.print_title_rows = "3:3"
    sheet.oddFooter.center.text = "- &P -"
    sheet.page_setup.orientation = "landscape" if layout.landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.save(out)
    return out


def has_soffice() -> bool:
    return shutil.which(SOFFICE) is not None


def soffice_convert(paths: list[Path], form: str, folder: Path) -> None:
    """Convert workbooks with LibreOffice, headless, with a profile of its own (one run for all)."""
    with tempfile.TemporaryDirectory() as profile:
        command = [SOFFICE, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless"]
        command += ["--convert-to", form, "--outdir", str(folder), *map(str, paths)]
        subprocess.run(command, check=True, capture_output=True, timeout=900)


def make_all(folder: Path, pdf: bool = True) -> dict[str, Path]:
    """Every layout's workbook (``NAME.xlsx``) and, with ``pdf``, its PDF (``NAME.pdf``) and the
    landscape sheet saved as ``landscape.xls`` and ``landscape.ods``: name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = fy2022_rows()
    made = {f"{name}.xlsx": make_workbook(folder / f"{name}.xlsx", layout, rows) for name, layout in LAYOUTS.items()}
    if pdf:
        soffice_convert(list(made.values()), "pdf", folder)
        soffice_convert([made["landscape.xlsx"]], "xls", folder)
        soffice_convert([made["landscape.xlsx"]], "ods", folder)
        made.update({f"{name}.pdf": folder / f"{name}.pdf" for name in LAYOUTS})
        made.update({name: folder / name for name in ("landscape.xls", "landscape.ods")})
        missing = [name for name, path in made.items() if not path.is_file()]
        if missing:
            raise RuntimeError(f"LibreOffice made no {', '.join(missing)}")
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--no-pdf", action="store_true", help="the workbooks only")
    args = parser.parse_args()
    for path in make_all(args.out, pdf=not args.no_pdf).values():
        print(path)


if __name__ == "__main__":
    main()
