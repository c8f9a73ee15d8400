"""Make the PDFs the tests and the bench import: the FY2022 list printed by Chromium, and bad PDFs.

    python scripts/make_test_pdfs.py OUT_DIR            # a4.pdf, a3.pdf and the bad PDFs
    python scripts/make_test_pdfs.py OUT_DIR --rows 1000  # a4.pdf of the bench's 1,000-row list

The list (data/2022/source-*.txt, read with the project's own reader) becomes a
ruled HTML table with the title above it, the header row repeated on every page
(thead) and a ``- N -`` footer (a CSS page-margin box), printed by Debian's
Chromium with fonts-noto-cjk in four page layouts:

- ``a4``: A4 landscape, narrow columns, long rows breaking across pages;
- ``a3``: A3 portrait with other column widths and a larger font;
- ``a4-unruled``: as ``a4`` with no ruling lines at all (shaded header cells);
- ``a3-rows``: as ``a3`` with rules between rows only, no column lines.

A space of the dump becomes a line break, as in the PDF the dump came from.

Some characters are written as the look-alikes Japanese PDFs often give
(Kangxi radicals ⾃ ⼤ ⽟, U+2027 for ・), so a reader must map them back.
Bad PDFs: ``scanned.pdf`` (page 1 as a picture only), ``truncated.pdf``,
``damaged.pdf``, ``encrypted.pdf`` (needs pypdf) and ``no-table.pdf``.
"""

from __future__ import annotations

import argparse
import html
import io
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from renkei_site.read.parse import parse_bytes  # noqa: E402
from renkei_site.read.table import COLUMNS, LIST_HEADER  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TITLE = "令和4年度 全国各地との連携事業一覧(令和4年4月1日時点)"
LOOK_ALIKES = str.maketrans({"自": "\u2f83", "大": "\u2f24", "玉": "\u2f5f", "・": "\u2027"})


@dataclass(frozen=True)
class Layout:
    page: str  # CSS page size
    font_pt: float
    widths: tuple[int, ...]  # per cent of the table, one per column
    border: str = "border: 0.6pt solid #000;"  # the cells' CSS: a ruled grid


A4_WIDTHS, A3_WIDTHS = (4, 8, 4, 5, 13, 19, 15, 19, 13), (3, 7, 4, 4, 11, 22, 18, 16, 15)
LAYOUTS = {
    "a4": Layout("A4 landscape", 8, A4_WIDTHS),
    "a3": Layout("A3", 9.5, A3_WIDTHS),
    "a4-unruled": Layout("A4 landscape", 8, A4_WIDTHS, "border: none;"),
    "a3-rows": Layout("A3", 9.5, A3_WIDTHS, "border: none; border-bottom: 0.6pt solid #000;"),
}
STYLE = """
@page {{ size: {page}; margin: 12mm 10mm 16mm;
  @bottom-center {{ content: "- " counter(page) " -"; font: 9pt "Noto Sans CJK JP"; }} }}
body {{ font: {font_pt}pt/1.35 "Noto Sans CJK JP", sans-serif; margin: 0; text-spacing-trim: space-all; }}
h1 {{ font-size: 13pt; text-align: center; margin: 0 0 4mm; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
th, td {{ {border} padding: 1.5pt 3pt; vertical-align: top; overflow-wrap: anywhere; }}
th {{ background: #ddd; font-weight: normal; }}
thead {{ display: table-header-group; }}
"""


def fy2022_rows() -> list[list[str]]:
    """The cells of the FY2022 list as its tab-separated source has them."""
    source = next((ROOT / "data" / "2022").glob("source-*.txt"))
    return [[row.raw[key] for key in COLUMNS] for row in parse_bytes(source.read_bytes(), source.name).rows]


def cell_html(text: str, look_alikes: bool) -> str:
    """A cell: every space a line break; in every other row, some characters as look-alikes."""
    if look_alikes:
        text = text.translate(LOOK_ALIKES)
    return "<br>".join(html.escape(part) for part in text.split(" "))


def table_html(title: str, rows: list[list[str]], layout: Layout) -> str:
    """The list as one HTML page: title, ruled table, header repeated on every printed page."""
    cols = "".join(f'<col style="width:{w}%">' for w in layout.widths)
    head = "".join(f"<th>{html.escape(label)}</th>" for label in LIST_HEADER)
    body = [
        "<tr>" + "".join(f"<td>{cell_html(cell, index % 2 == 0)}</td>" for cell in row) + "</tr>"
        for index, row in enumerate(rows)
    ]
    style = STYLE.format(page=layout.page, font_pt=layout.font_pt, border=layout.border)
    return (
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body><h1>{html.escape(title)}</h1>"
        f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></body></html>"
    )


def print_pdf(page_html: str, out: Path, chromium: str = CHROMIUM) -> Path:
    """Print an HTML page to PDF with headless Chromium (no header or footer of its own)."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "page.html"
        source.write_text(page_html, encoding="utf-8")
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            f"--user-data-dir={work}/profile",
            f"--print-to-pdf={out}",
            "--no-pdf-header-footer",
            source.as_uri(),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=300)
    if not out.is_file() or not out.read_bytes().startswith(b"%PDF-"):
        raise RuntimeError(f"chromium printed no PDF to {out}")
    return out


def synthetic_rows(count: int) -> list[list[str]]:
    """The cells of the bench's synthetic list of ``count`` rows (bench/synthetic.py), numbered."""
    sys.path.insert(0, str(ROOT / "bench"))
    import synthetic

    rows = synthetic.rows_for(count, synthetic.seed_rows())
    return [[str(number), *(row[key] for key in COLUMNS[1:])] for number, row in enumerate(rows, start=1)]


def make_list_pdf(out: Path, layout: str, rows: list[list[str]] | None = None, title: str = TITLE) -> Path:
    return print_pdf(table_html(title, fy2022_rows() if rows is None else rows, LAYOUTS[layout]), out)


def make_scanned(good: Path, out: Path) -> Path:
    """Page 1 of a good PDF as a picture only: a PDF without a text layer."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(good))
    try:
        image = document[0].render(scale=1.5).to_pil().convert("RGB")
    finally:
        document.close()
    image.save(out, "PDF", resolution=108)
    return out


def make_encrypted(good: Path, out: Path, password: str = "renkei") -> Path:
    """A copy that opens only with a password (test-only dependency: pypdf)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(good))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    out.write_bytes(buffer.getvalue())
    return out


def rearranged(pdf: Path, order: list[int]) -> bytes:
    """The PDF with its pages in ``order`` (0-based; a page left out is lost), by pypdf."""
    from pypdf import PdfReader, PdfWriter

    reader, writer = PdfReader(pdf), PdfWriter()
    for index in order:
        writer.add_page(reader.pages[index])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


NO_TABLE = (
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>'
    'body { font: 11pt "Noto Sans CJK JP"; } td, th { border: 1px solid #000; }</style></head><body>'
    "<h1>お知らせ</h1><p>令和4年度の説明会は終了しました。</p>"
    "<table><tr><th>日付</th><th>会場</th></tr><tr><td>4月1日</td><td>都庁</td></tr></table></body></html>"
)


def make_bad(good: Path, folder: Path) -> dict[str, Path]:
    """The bad PDFs, made from a good one: name -> path."""
    data = good.read_bytes()
    made = {
        "scanned": make_scanned(good, folder / "scanned.pdf"),
        "truncated": folder / "truncated.pdf",
        "damaged": folder / "damaged.pdf",
        "no-table": print_pdf(NO_TABLE, folder / "no-table.pdf"),
    }
    made["truncated"].write_bytes(data[: len(data) // 2])
    made["damaged"].write_bytes(data[:1024] + bytes(range(256)) * 64 + data[-1024:])
    try:
        made["encrypted"] = make_encrypted(good, folder / "encrypted.pdf")
    except ImportError:
        print("pypdf is not installed: no encrypted.pdf", file=sys.stderr)
    return made


def make_all(folder: Path) -> dict[str, Path]:
    """Every layout of the FY2022 list and the bad PDFs."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = fy2022_rows()
    made = {name: make_list_pdf(folder / f"{name}.pdf", name, rows) for name in LAYOUTS}
    return {**made, **make_bad(made["a4"], folder)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, help="a4.pdf of a synthetic list of this many rows (bench/synthetic.py)")
    args = parser.parse_args()
    if args.rows:
        args.out.mkdir(parents=True, exist_ok=True)
        print(make_list_pdf(args.out / "a4.pdf", "a4", synthetic_rows(args.rows)))
        return
    for path in make_all(args.out).values():
        print(path)


if __name__ == "__main__":
    main()
