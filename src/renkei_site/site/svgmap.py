"""A map of Japan as inline SVG: one shaded, linked shape per prefecture, its short name on it
where the name fits inside the outline, and beside the map the list of every prefecture (the
map's twin: a link of at least 24 × 24 px to each place, in the tab order in the map's stead)."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..resolve.reference import Place, Reference
from .paths import prefecture_path

SHADES = ("#f4f6f8", "#d6e6f5", "#9ecae1", "#4b97c9", "#1a5e96", "#0b3563")  # 0, then 5 steps (light scheme)
BREAKS = (1, 2, 4, 8, 15)  # lower bounds of the steps above 0
TITLE = "都道府県別の連携事業数の地図"
LIST_LABEL = "地図の都道府県と事業数"
LABEL_SIZE = 24  # a name's height in map units (the map is 960 wide): 9 px on a phone, 16 px at 640 px
LABEL_MARGIN = 0  # map units kept clear around a name's em box (a kanji's ink is smaller than its box)
SEARCH_STEP = 4  # map units between the rows tried (a divisor of half a name's height: its lines fall on rows)


Point = tuple[float, float]


@dataclass(frozen=True)
class Outline:
    """A prefecture as drawn: its path data and where its short name sits (None: it does not fit)."""

    path: str
    label_at: Point | None


def shade(count: int) -> int:
    return sum(1 for lower in BREAKS if count >= lower)


def legend() -> list[tuple[str, str]]:
    steps = [f"{lo}件" if lo == hi - 1 else f"{lo}–{hi - 1}件" for lo, hi in itertools.pairwise(BREAKS)]
    labels = ["0件", *steps, f"{BREAKS[-1]}件以上"]
    return list(zip(SHADES, labels, strict=False))


def short_name(place: Place) -> str:
    """The name on the map: without 都・府・県 (北海道 keeps its 道)."""
    return place.name[:-1] if place.name[-1] in "都府県" else place.name


def path_data(points: list) -> str:
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z"


def centroid(points: list) -> Point:
    """The centre of area of a closed polygon."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area, cx, cy = area + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
    return (cx / (3 * area), cy / (3 * area)) if area else points[0]


def edges(points: list) -> list[tuple[Point, Point]]:
    return list(zip(points, points[1:] + points[:1], strict=True))


def scanlines(points: list, step: int) -> dict[int, list[tuple[float, float]]]:
    """The stretches inside the polygon (even-odd rule) of each horizontal line at a multiple of
    ``step``, made in one pass over the edges."""
    crossings: dict[int, list[float]] = {}
    for (x0, y0), (x1, y1) in edges(points):
        low, high = min(y0, y1), max(y0, y1)
        for y in range(step * math.ceil(low / step), math.ceil(high), step):
            if y < high:  # the edge spans [low, high): each crossing counted once
                crossings.setdefault(y, []).append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    ordered = {y: sorted(xs) for y, xs in crossings.items()}
    return {y: list(zip(xs[::2], xs[1::2], strict=True)) for y, xs in ordered.items()}


def overlap(one: list[tuple[float, float]], other: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Where two sets of stretches of a line overlap."""
    both = [(max(a, c), min(b, d)) for a, b in one for c, d in other if c <= b and a <= d]
    return [(a, b) for a, b in both if a <= b]


def meets_box(start: Point, end: Point, box: tuple[float, float, float, float]) -> bool:
    """Whether the segment from ``start`` to ``end`` touches the box (left, top, right, bottom):
    Liang–Barsky clipping."""
    (x0, y0), (x1, y1) = start, end
    left, top, right, bottom = box
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for step, room in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - top), (dy, bottom - y0)):
        if step == 0:
            if room < 0:
                return False
            continue
        t = room / step
        low, high = (max(low, t), high) if step < 0 else (low, min(high, t))
        if low > high:
            return False
    return True


def label_spot(points: list, label: str) -> Point | None:
    """Where ``label`` (full-width characters, LABEL_SIZE high) fits inside the outline, nearest
    its centre of area: on rows SEARCH_STEP apart, the point of each row nearest the centre whose
    box's top, middle and bottom lines lie inside; the nearest of those whose box no edge of the
    outline touches.  None when the name fits nowhere."""
    half_width, half_height = len(label) * LABEL_SIZE / 2 + LABEL_MARGIN, LABEL_SIZE / 2 + LABEL_MARGIN
    cx, cy = centroid(points)
    lines = {
        y: [(a + half_width, b - half_width) for a, b in stretches if b - a >= 2 * half_width]
        for y, stretches in scanlines(points, SEARCH_STEP).items()
    }
    candidates = []
    for row in sorted(lines):
        free = overlap(lines[row], lines.get(row - half_height, []))
        free = overlap(free, lines.get(row + half_height, [])) if free else free
        for a, b in free:
            if math.ceil(a) <= math.floor(b):
                x = min(max(round(cx), math.ceil(a)), math.floor(b))
                candidates.append(((x - cx) ** 2 + (row - cy) ** 2, x, row))
    outline = edges(points)
    for _, x, y in sorted(candidates):
        box = (x - half_width, y - half_height, x + half_width, y + half_height)
        if not any(meets_box(start, end, box) for start, end in outline):
            return (float(x), float(y))
    return None


def outlines(reference: Reference) -> dict[str, Outline]:
    """Each prefecture's outline (data/reference/japan-map.json) and the place of its name, once a build."""
    shapes = reference.map_shapes["shapes"]
    return {
        p.pref_code: Outline(path_data(shapes[p.pref_code]), label_spot(shapes[p.pref_code], short_name(p)))
        for p in reference.prefectures
    }


def render(
    reference: Reference, drawn: dict[str, Outline], counts: dict[str, int], root: str, highlight: str = ""
) -> Markup:
    """The SVG and the list of places beside it, each prefecture (``drawn``: from ``outlines``) a
    link with its count; ``root`` leads from the page to the site root ("", "../", …).  The SVG's
    links are for pointing and tapping; keyboards and screen readers get the same links in the
    list (folded on the page of the ``highlight`` prefecture)."""
    meta = reference.map_shapes["meta"]
    parts = [
        f'<svg class="japan-map" viewBox="0 0 {meta["width"]:g} {meta["height"]:g}" aria-hidden="true">'
        f"<title>{TITLE}</title>"
    ]
    items = []
    for place in reference.prefectures:
        count = counts.get(place.pref_code, 0)
        label = f"{place.name}: 名前が挙がる事業 {count}件"
        current = " current" if place.pref_code == highlight else ""
        href, outline = f"{escape(root)}{prefecture_path(place)}", drawn[place.pref_code]
        name = ""
        if outline.label_at:
            x, y = outline.label_at
            name = f'<text x="{x:g}" y="{y:g}">{escape(short_name(place))}</text>'
        parts.append(
            f'<a href="{href}" class="pref shade-{shade(count)}{current}" data-pref="{place.pref_code}" '
            f'tabindex="-1"><title>{label}</title><path d="{outline.path}"/>{name}</a>'
        )
        aria = ' aria-current="page"' if current else ""
        items.append(
            f'<li><a href="{href}" class="place{current}" data-pref="{place.pref_code}"{aria}>'
            f'<span class="swatch shade-{shade(count)}"></span>{escape(place.name)} {count}件</a></li>'
        )
    parts.append("</svg>")
    places = f'<ul class="map-places">{"".join(items)}</ul>'
    if highlight:  # a prefecture's page: the map is a side note there, its list folded
        places = f'<details class="map-places-box"><summary>{LIST_LABEL}</summary>{places}</details>'
    return Markup("".join(parts) + places)
