"""Link-preview images (og:image): a 1200×630 PNG per page drawn from the map data with Pillow.

A prefecture's page shows it shaded, a municipality's its prefecture with the municipality as a
marked point at its reference coordinates, a project's its partner prefectures shaded and its
partner municipalities marked, the other pages the prefectures their projects name, shaded by
count; beside the map, the site's name, the page's title and its description, in a CJK font.

What an image shows is a small ``Picture`` value; its PNG is kept in a folder beside the build
cache under a digest of that value, of this module, of Pillow's version and of the font, so a
rebuild draws only the pictures that changed.  Made only with --base-url (OGP wants absolute
URLs).  The same picture is the same bytes: nothing in the PNG depends on the clock or the host.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import math
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import cache
from ..resolve.reference import Place
from .plan import Page
from .share import DESCRIBE, SiteRenderer, subject_title
from .svgmap import SHADES, shade

WIDTH, HEIGHT = 1200, 630
MAP_BOX = (24, 15, 600, 615)  # left, top, right, bottom of the map in the image
TEXT_LEFT, TEXT_RIGHT = 640, 1170
SOURCE_TOP = 550  # the source line below everything else
INK, GREY, OUTLINE, MARK = "#1b1f24", "#57606a", "#8c959f", "#d1242f"
# japan-map.json's projection (scripts/make_map.py): longitude scaled by cos 36°, Hokkaido and
# Okinawa moved into insets by these degrees; the scale and centre fitted to the reference
# coordinates (94 % of the municipalities and wards fall inside their prefecture's outline: the others lie
# on coasts and islands the outlines leave out; tests/test_previews.py).
UNITS_PER_DEGREE = 94.7545
CENTRE = (137.0, 36.0, 571.35, 525.98)  # longitude, latitude -> x, y in map units
INSETS = {"01": (-10.0, -4.5), "47": (4.5, 5.0)}
FONT_FILES = (  # Debian's fonts-noto-cjk, then other common places of a Japanese font
    "/usr/share/fonts/opentype/noto/NotoSansCJK-{}.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-{}.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-{}.ttc",
    "/System/Library/Fonts/ヒラギノ角ゴシック W{}.ttc",
)
WEIGHTS = {"Regular": "3", "Bold": "6"}


class NoFontError(FileNotFoundError):
    """No font with Japanese glyphs to draw the preview images' text."""


@dataclass(frozen=True)
class Picture:
    """What one preview image shows."""

    title: str
    description: str
    shaded: tuple[tuple[str, int], ...]  # (prefecture code, shade 1–5 of svgmap.SHADES)
    marks: tuple[tuple[float, float], ...] = ()  # points in map units
    site: str = "全国各地との連携事業カタログ"


# --- where things go on the map ------------------------------------------------------------------


def map_point(place: Place) -> tuple[float, float] | None:
    """A municipality's reference coordinates in map units (None when the table has none)."""
    if place.lat is None or place.lon is None:
        return None
    shift_lon, shift_lat = INSETS.get(place.pref_code, (0.0, 0.0))
    lon0, lat0, x0, y0 = CENTRE
    x = x0 + (place.lon + shift_lon - lon0) * UNITS_PER_DEGREE * math.cos(math.radians(36))
    y = y0 - (place.lat + shift_lat - lat0) * UNITS_PER_DEGREE
    return round(x, 1), round(y, 1)


def shaded_by_count(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((code, shade(n)) for code, n in counts.items() if n > 0))


def picture_of(r: SiteRenderer, page: Page) -> Picture:
    """The picture of the page ``page`` (an HTML page of the plan, or the home page for the site's)."""
    title, description = subject_title(r, page.kind, page.key), DESCRIBE[page.kind](r, page)
    if page.kind == "home":
        title = "東京都と全国各地との連携事業"  # the site's name is drawn above it anyway
    if page.kind == "prefecture":
        return Picture(title, description, ((r.ref.places[page.key].pref_code, 5),))
    if page.kind == "municipality":
        place = r.ref.places[page.key]
        return Picture(title, description, ((place.pref_code, 2),), tuple(filter(None, [map_point(place)])))
    if page.kind == "project":
        return project_picture(r, r.cat.by_key[page.key], title, description)
    if page.kind == "group":
        return Picture(title, description, tuple((code, 3) for code in sorted(r.cat.group_prefs(page.key))))
    projects = {
        "field": lambda: r.cat.by_field[page.key],
        "bureau": lambda: r.cat.by_bureau[page.key],
        "year": lambda: r.year_of(page.key).projects,
    }.get(page.kind, lambda: r.cat.latest.projects)()
    latest = max(p.fiscal_year for p in projects)
    counts: dict[str, int] = {}
    for p in projects:
        if p.fiscal_year == latest:
            for pref, inv in r.cat.involvement(p).items():
                counts[pref] = counts.get(pref, 0) + (inv.how == "named")
    return Picture(title, description, shaded_by_count(counts))


def project_picture(r: SiteRenderer, project, title: str, description: str) -> Picture:
    """A project's partners: the prefectures it names now dark, those only in the past light, the
    municipalities it names now as points."""
    how = {pref: inv.how for pref, inv in r.cat.involvement(project).items() if inv.how in ("named", "past")}
    marks = []
    for m in project.mentions:
        place = r.ref.places.get(m.code) if m.role == "current" and m.code else None
        if place is not None and not place.is_prefecture and (point := map_point(place)):
            marks.append(point)
    shaded = tuple(sorted((pref, 4 if kind == "named" else 2) for pref, kind in how.items()))
    return Picture(title, description, shaded, tuple(sorted(set(marks))))


# --- the font ------------------------------------------------------------------------------------


@functools.cache
def font_file(weight: str = "Regular") -> str:
    """A font file with Japanese glyphs: $RENKEI_SITE_FONT, a known place, or fontconfig's answer."""
    named = os.environ.get("RENKEI_SITE_FONT")
    if named:
        if not Path(named).is_file():
            raise NoFontError(f"RENKEI_SITE_FONT={named}: no such font file")
        return named
    for pattern in FONT_FILES:
        path = pattern.format(weight if "Noto" in pattern else WEIGHTS[weight])
        if Path(path).is_file():
            return path
    found = fontconfig_japanese()
    if found:
        return found
    raise NoFontError(
        "no font with Japanese glyphs for the link-preview images (made with --base-url): install one "
        "(Debian: apt-get install fonts-noto-cjk) or name a .ttf/.otf/.ttc file in $RENKEI_SITE_FONT"
    )


def fontconfig_japanese() -> str:
    if not shutil.which("fc-list"):
        return ""
    listed = subprocess.run(["fc-list", ":lang=ja", "file"], capture_output=True, text=True, check=False).stdout
    files = sorted(line.split(":")[0].strip() for line in listed.splitlines() if line.strip())
    return next((f for f in files if "Sans" in f), files[0] if files else "")


@functools.cache
def font(size: int, weight: str = "Regular"):
    from PIL import ImageFont

    return ImageFont.truetype(font_file(weight), size, index=0)


def font_identity() -> str:
    """What changes the drawn text: the fonts' files, sizes and dates."""
    parts = []
    for weight in WEIGHTS:
        path = Path(font_file(weight))
        stat = path.stat()
        parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


# --- drawing -------------------------------------------------------------------------------------

NO_LINE_START = set("、。,.)」』】〕・ー々ゃゅょっャュョッ!?:")


@functools.cache
def advance(size: int, weight: str, char: str) -> float:
    return font(size, weight).getlength(char)


def wrapped(text: str, size: int, weight: str, width: int, lines: int) -> list[str]:
    """The text in at most ``lines`` lines of ``width`` pixels (the last ends in … when cut)."""
    if lines < 1:
        return []
    made: list[str] = []
    current, used = "", 0.0
    for char in text:
        step = advance(size, weight, char)
        if used + step > width and current and char not in NO_LINE_START:
            made.append(current)
            current, used = "", 0.0
        current, used = current + char, used + step
    made.append(current)
    if len(made) > lines:
        last = made[lines - 1]
        while last and sum(advance(size, weight, c) for c in last + "…") > width:
            last = last[:-1]
        made = [*made[: lines - 1], last + "…"]
    return made


def map_scale(meta: dict) -> float:
    left, top, right, bottom = MAP_BOX
    return min((right - left) / meta["width"], (bottom - top) / meta["height"])


DRAWN: dict[str, tuple] = {}  # map digest -> (outlines in pixels, the unshaded map): once per process


def unshaded(shapes: dict) -> tuple:
    """The outlines in the image's pixels and the map with no prefecture shaded."""
    from PIL import Image, ImageDraw

    key = map_key(shapes)
    if key not in DRAWN:
        left, top = MAP_BOX[:2]
        scale = map_scale(shapes["meta"])
        outlines = {c: [(left + x * scale, top + y * scale) for x, y in p] for c, p in shapes["shapes"].items()}
        image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
        pen = ImageDraw.Draw(image)
        for code in sorted(outlines):
            pen.polygon(outlines[code], fill=SHADES[0], outline=OUTLINE)
        DRAWN[key] = (outlines, image)
    return DRAWN[key]


def draw(picture: Picture, shapes: dict) -> bytes:
    """The PNG of a picture (``shapes``: data/reference/japan-map.json)."""
    from PIL import Image, ImageDraw

    outlines, base = unshaded(shapes)
    image = base.copy()
    pen = ImageDraw.Draw(image)
    for code, level in picture.shaded:
        pen.polygon(outlines[code], fill=SHADES[level], outline=OUTLINE)
    left, top, right, bottom = MAP_BOX
    scale = map_scale(shapes["meta"])
    for x, y in picture.marks:
        cx, cy = min(max(left + x * scale, left), right), min(max(top + y * scale, top), bottom)
        pen.ellipse((cx - 9, cy - 9, cx + 9, cy + 9), fill=MARK, outline="#ffffff", width=3)
    text_width = TEXT_RIGHT - TEXT_LEFT
    pen.text((TEXT_LEFT, 40), picture.site, font=font(30, "Bold"), fill=GREY)
    pen.line((TEXT_LEFT, 92, TEXT_RIGHT, 92), fill=OUTLINE, width=2)
    y = 120
    for line in wrapped(picture.title, 54, "Bold", text_width, 3):
        pen.text((TEXT_LEFT, y), line, font=font(54, "Bold"), fill=INK)
        y += 74
    y += 16
    for line in wrapped(picture.description, 28, "Regular", text_width, (SOURCE_TOP - y) // 42):
        pen.text((TEXT_LEFT, y), line, font=font(28), fill=GREY)
        y += 42
    pen.text((TEXT_LEFT, SOURCE_TOP + 20), "出典:東京都「全国各地との連携事業一覧」", font=font(22), fill=GREY)
    out = io.BytesIO()  # in the fixed palette: a third of the bytes, a fifth of the time to compress
    image.quantize(palette=palette(), dither=Image.Dither.NONE).save(out, format="PNG", compress_level=6)
    return out.getvalue()


def ramp(start: str, end: str, steps: int) -> list[tuple[int, ...]]:
    from PIL import ImageColor

    a, b = ImageColor.getrgb(start), ImageColor.getrgb(end)
    return [tuple(round(a[i] + (b[i] - a[i]) * k / (steps - 1)) for i in range(3)) for k in range(steps)]


@functools.cache
def palette():
    """The image's colours: the map's shades, outline and mark, and the text's anti-aliased greys."""
    from PIL import Image, ImageColor

    colours = [ImageColor.getrgb(c) for c in (*SHADES, OUTLINE, MARK)]
    colours += ramp("#ffffff", INK, 24) + ramp("#ffffff", GREY, 12)[1:-1]
    flat = [value for colour in colours for value in colour]
    image = Image.new("P", (1, 1))
    image.putpalette(flat + [0] * (768 - len(flat)))
    return image


# --- the cache -----------------------------------------------------------------------------------


@functools.cache
def drawing_key() -> str:
    """What besides the picture decides the bytes: this code, Pillow's version, the fonts."""
    import PIL

    return hashlib.sha256(Path(__file__).read_bytes() + PIL.__version__.encode() + font_identity().encode()).hexdigest()


MAP_KEYS: dict[int, str] = {}


def map_key(shapes: dict) -> str:
    """A digest of the map data (worked out once per process)."""
    if id(shapes) not in MAP_KEYS:
        MAP_KEYS[id(shapes)] = hashlib.sha256(repr(shapes).encode()).hexdigest()
    return MAP_KEYS[id(shapes)]


def png(picture: Picture, shapes: dict, folder: Path | None) -> bytes:
    """The picture's PNG: from ``folder`` when it was drawn before, else drawn (and kept there)."""
    digest = hashlib.sha256((drawing_key() + map_key(shapes) + repr(picture)).encode()).hexdigest()
    kept = folder / digest[:2] / f"{digest}.png" if folder else None
    if kept is not None and kept.is_file():
        return kept.read_bytes()
    data = draw(picture, shapes)
    if kept is not None:
        with contextlib.suppress(OSError):  # the cache is an optimisation
            cache.write_atomic(kept, data)
    return data
