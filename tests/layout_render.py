"""Render a table the way ``pdftotext -layout`` prints a PDF of it (for tests).

Fixed-width columns padded with spaces (wide characters take two columns),
cells wrapped inside their column (a space in a cell is a line break, as in
the PDF the tab-separated dump came from), the header repeated on every page,
a ``- N -`` footer and a form feed at each page end.
"""

from __future__ import annotations

from renkei_site.read.layout import char_width
from renkei_site.read.table import LIST_HEADER

HEADER = list(LIST_HEADER)
WIDTHS = [4, 12, 8, 8, 22, 34, 30, 36, 28]
GAP = 3


def width(text: str) -> int:
    return sum(char_width(c) for c in text)


def wrap(text: str, limit: int) -> list[str]:
    """Break at spaces (hard breaks) and wherever a line would overflow."""
    lines: list[str] = []
    for paragraph in text.split(" "):
        if not paragraph:
            continue
        line = ""
        for char in paragraph:
            if width(line) + char_width(char) > limit:
                lines.append(line)
                line = ""
            line += char
        lines.append(line)
    return lines or [""]


def pad(text: str, limit: int) -> str:
    return text + " " * (limit - width(text))


def render_block(cells: list[str], widths: list[int], indent: int) -> list[str]:
    wrapped = [wrap(cell, w) for cell, w in zip(cells, widths, strict=False)]
    height = max(len(w) for w in wrapped)
    out = []
    for i in range(height):
        parts = [pad(w[i] if i < len(w) else "", limit) for w, limit in zip(wrapped, widths, strict=False)]
        out.append((" " * indent + (" " * GAP).join(parts)).rstrip())
    return out


def render_layout(
    title: str,
    rows: list[list[str]],
    widths: list[int] = WIDTHS,
    page_lines: int = 60,
    indent: int = 2,
) -> str:
    """The whole document as text, pages separated by a footer and a form feed."""
    header = render_block(HEADER, widths, indent)
    total = indent + sum(widths) + GAP * (len(widths) - 1)
    pages: list[list[str]] = [[title.center(total).rstrip(), "", *header, ""]]
    for row in rows:
        for line in render_block(row, widths, indent):
            if len(pages[-1]) >= page_lines:
                pages.append([*header, ""])
            pages[-1].append(line)
    texts = [
        "\n".join([*page, "", f"- {number} -".center(total).rstrip()]) for number, page in enumerate(pages, start=1)
    ]
    return "\n\f".join(texts) + "\n\f"
