"""A map of Japan as inline SVG: one linked, labelled shape per prefecture."""

from __future__ import annotations

import itertools

from markupsafe import Markup, escape

from ..resolve.reference import Reference
from .paths import prefecture_path

SHADES = ("#f4f6f8", "#d6e6f5", "#9ecae1", "#4b97c9", "#1a5e96", "#0b3563")  # 0, then 5 steps
BREAKS = (1, 2, 4, 8, 15)  # lower bounds of the steps above 0
TITLE = "都道府県別の連携事業数の地図"


def shade(count: int) -> int:
    return sum(1 for lower in BREAKS if count >= lower)


def legend() -> list[tuple[str, str]]:
    steps = [f"{lo}件" if lo == hi - 1 else f"{lo}–{hi - 1}件" for lo, hi in itertools.pairwise(BREAKS)]
    labels = ["0件", *steps, f"{BREAKS[-1]}件以上"]
    return list(zip(SHADES, labels, strict=False))


def path_data(points: list) -> str:
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z"


def outlines(shapes: dict) -> dict[str, str]:
    """Each prefecture's outline (data/reference/japan-map.json) as SVG path data."""
    return {code: path_data(points) for code, points in shapes["shapes"].items()}


def render(
    reference: Reference, drawn: dict[str, str], counts: dict[str, int], root: str, highlight: str = ""
) -> Markup:
    """The SVG, each prefecture (``drawn``: its outline, from ``outlines``) a link with its count
    as text; ``root`` leads from the page to the site root ("", "../", …)."""
    meta = reference.map_shapes["meta"]
    parts = [f'<svg class="japan-map" viewBox="0 0 {meta["width"]:g} {meta["height"]:g}" aria-label="{TITLE}">']
    for place in reference.prefectures:
        count = counts.get(place.pref_code, 0)
        label = f"{place.name}: 名前が挙がる事業 {count}件"
        css = f"pref shade-{shade(count)}" + (" current" if place.pref_code == highlight else "")
        parts.append(
            f'<a href="{escape(root)}{prefecture_path(place)}" class="{css}" data-pref="{place.pref_code}" '
            f'aria-label="{label}"><title>{label}</title><path d="{drawn[place.pref_code]}"/></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
