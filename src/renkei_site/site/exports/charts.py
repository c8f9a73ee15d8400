"""Charts as standalone SVG files for an article: projects per field, per prefecture, per year,
and the map, each with its title, the source and the as-of date written into the picture."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import escape

from ...model import Catalogue
from ...records import Year
from .. import svgmap
from . import terms
from .counts import field_counts, prefecture_counts, year_counts

WIDTH = 760
LABEL_WIDTH = 170
BAR_WIDTH = 480
TOP = 78  # below the title and the legend
FONT = "'Noto Sans CJK JP','Hiragino Sans','Yu Gothic',Meiryo,sans-serif"


@dataclass(frozen=True)
class Series:
    name: str  # as the legend says it
    colour: str


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[int, ...]  # one per series, stacked left to right


def svg_open(width: float, height: float, title: str, description: str) -> list[str]:
    return [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" aria-labelledby="t d" font-family="{FONT}">',
        f'<title id="t">{escape(title)}</title><desc id="d">{escape(description)}</desc>',
        f'<rect width="{width:g}" height="{height:g}" fill="#ffffff"/>',
        f'<text x="16" y="30" font-size="20" font-weight="bold" fill="#1f2328">{escape(title)}</text>',
    ]


def footer(width: float, height: float, as_of: str) -> str:
    """The source and the as-of date, bottom left."""
    return (
        f'<text x="16" y="{height - 14:g}" font-size="12" fill="#57606a">{escape(terms.CREDIT)}'
        f"({escape(as_of)}時点、{escape(terms.LICENSE)})</text>"
    )


def legend(series: Sequence[Series]) -> list[str]:
    parts, x = [], 16
    for s in series:
        parts.append(f'<rect x="{x}" y="44" width="14" height="14" fill="{s.colour}"/>')
        parts.append(f'<text x="{x + 20}" y="56" font-size="13" fill="#1f2328">{escape(s.name)}</text>')
        x += 30 + 14 * len(s.name)
    return parts


def bar_chart(title: str, as_of: str, series: Sequence[Series], bars: Sequence[Bar], row: int = 24) -> bytes:
    """Horizontal stacked bars, one per row, the total written after each."""
    height = TOP + row * len(bars) + 44
    description = "; ".join(
        f"{b.label}: " + ", ".join(f"{s.name} {v}" for s, v in zip(series, b.values, strict=True)) for b in bars
    )
    parts = svg_open(WIDTH, height, title, description) + legend(series)
    largest = max([sum(b.values) for b in bars] + [1])
    for index, bar in enumerate(bars):
        y = TOP + index * row
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + row * 0.7:g}" font-size="{min(13, row - 4)}" '
            f'text-anchor="end" fill="#1f2328">{escape(bar.label)}</text>'
        )
        x = float(LABEL_WIDTH)
        for s, value in zip(series, bar.values, strict=True):
            width = BAR_WIDTH * value / largest
            if value:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 2}" width="{width:.1f}" height="{row - 4}" fill="{s.colour}"/>'
                )
            x += width
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + row * 0.7:g}" font-size="{min(13, row - 4)}" '
            f'fill="#1f2328">{sum(bar.values)}</text>'
        )
    parts.append(footer(WIDTH, height, as_of))
    parts.append("</svg>\n")
    return "".join(parts).encode("utf-8")


def fields_chart(cat: Catalogue, year: Year | None) -> bytes:
    series = (Series("継続", "#4b97c9"), Series("新規", "#e08a1e"))
    bars = [Bar(str(r["field"]), (int(r["continuing"]), int(r["new"]))) for r in field_counts(cat, year)]
    return bar_chart(f"{year.fiscal_year}年度 分野別の連携事業数", terms.as_of(year), series, bars)


def prefectures_chart(cat: Catalogue, year: Year | None) -> bytes:
    series = (Series("名前が挙がる", "#1a5e96"), Series("グループを通じて", "#9ecae1"), Series("過去のみ", "#c2c8cf"))
    bars = [
        Bar(str(r["prefecture"]), (int(r["named"]), int(r["through_groups"]), int(r["past"])))
        for r in prefecture_counts(cat, year)
    ]
    return bar_chart(f"{year.fiscal_year}年度 都道府県別の連携事業数", terms.as_of(year), series, bars, row=17)


def years_chart(cat: Catalogue, year: Year | None) -> bytes:
    series = (Series("継続", "#4b97c9"), Series("新規", "#e08a1e"))
    rows = [year_counts(cat, y) for y in cat.years]
    bars = [Bar(f"{r['fiscal_year']}年度", (int(r["continuing"]), int(r["new"]))) for r in rows]
    return bar_chart("年度別の連携事業数", terms.as_of(cat.latest), series, bars)


def map_chart(cat: Catalogue, year: Year | None) -> bytes:
    """The home page's map on its own: prefectures shaded by the projects naming them."""
    meta = cat.reference.map_shapes["meta"]
    scale = 0.7
    width, height = meta["width"] * scale, meta["height"] * scale + 110
    title = f"{year.fiscal_year}年度 都道府県別の連携事業数(名前が挙がる事業)"
    counts = {r["pref_code"]: int(r["named"]) for r in prefecture_counts(cat, year)}
    names = {p.pref_code: p.name for p in cat.reference.prefectures}
    description = "; ".join(f"{names[code]}: {n}件" for code, n in counts.items())
    parts = svg_open(width, height, title, description)
    parts.append(f'<g transform="translate(0 44) scale({scale:g})" stroke="#5b6470" stroke-width="0.8">')
    for code, points in cat.reference.map_shapes["shapes"].items():
        count = counts.get(code, 0)
        colour = svgmap.SHADES[svgmap.shade(count)]
        parts.append(
            f'<path d="{svgmap.path_data(points)}" fill="{colour}"><title>{escape(names[code])}: {count}件</title></path>'
        )
    parts.append("</g>")
    y = height - 52
    for index, (colour, label) in enumerate(svgmap.legend()):
        x = 16 + index * 92
        parts.append(f'<rect x="{x}" y="{y:g}" width="14" height="14" fill="{colour}" stroke="#5b6470"/>')
        parts.append(f'<text x="{x + 19}" y="{y + 12:g}" font-size="12" fill="#1f2328">{escape(label)}</text>')
    parts.append(footer(width, height, terms.as_of(year)))
    parts.append("</svg>\n")
    return "".join(parts).encode("utf-8")
