"""The site on every device (issue 24): Chromium at 390 and 1280 px, light and dark, print, text
at 200 %, the keyboard, and the 404 page served at any depth by a host, with and without a base URL.
axe-core runs on one page of every kind in the dark scheme here (the light one: test_browser.py)."""

from __future__ import annotations

import functools
import http.server
import io
import itertools
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import CHROMIUM, DATA, LOCAL
from test_browser import EVERY_KIND_OF_PAGE

from renkei_site import pipeline
from renkei_site.resolve.reference import load_reference
from renkei_site.serve import serving
from renkei_site.site import svgmap

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (./scripts/test installs it)", allow_module_level=True)
pytest.importorskip("playwright.sync_api")

WIDTHS = (390, 1280)
SCHEMES = ("light", "dark")
PRINTED_PAGES = [  # one page of every kind of a one-year site (no changes page, no history)
    "index.html",
    "2022/index.html",
    "2022/projects/001/index.html",
    "bureaus/index.html",
    "bureaus/fukushi-hoken/index.html",
    "fields/index.html",
    "fields/kankyo/index.html",
    "prefectures/index.html",
    "prefectures/kanagawa/index.html",
    "municipalities/141305/index.html",
    "groups/index.html",
    "search/index.html",
    "notes/index.html",
    "about/index.html",
    "downloads/index.html",
]
BASE_PATH = "renkei/"  # the sub-path a site built with a base URL is served under here


# --- a static host: a missing file gets the site's 404.html, as GitHub Pages or Netlify serve it ---


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory``; a path that names no file gets ``not_found``'s bytes with status 404."""

    def __init__(self, *args, not_found: Path, **kwargs):
        self.not_found = not_found
        super().__init__(*args, **kwargs)

    def log_message(self, *args):
        pass

    def send_head(self):
        if Path(self.translate_path(self.path)).exists():
            return super().send_head()
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def start_host(folder: Path, not_found: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(StaticHost, directory=str(folder), not_found=not_found)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("devices") / "_site"
    pipeline.build(DATA, out)
    return out.resolve()


@pytest.fixture(scope="module")
def host(site):
    """The FY2022 site at a host's root, no base URL."""
    httpd, base = start_host(site, site / "404.html")
    yield base
    httpd.shutdown()


@pytest.fixture(scope="module")
def sub_host(tmp_path_factory):
    """The FY2022 site built with a base URL and served under it (BASE_PATH on the host)."""
    folder = tmp_path_factory.mktemp("host")
    httpd, base = start_host(folder, folder / BASE_PATH / "404.html")
    pipeline.build(DATA, folder / BASE_PATH.rstrip("/"), base + BASE_PATH)
    yield base + BASE_PATH
    httpd.shutdown()


@pytest.fixture(scope="module")
def two_year_host(two_years):
    with serving(two_years["site"]) as base:
        yield base


@pytest.fixture
def device(browser):
    """device(width, scheme) → a page of that width and colour scheme; page.problems as in conftest."""
    contexts = []

    def make(width: int = 1280, scheme: str = "light"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: page.problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(LOCAL) else page.problems.append(r.url))
        return page

    yield make
    for context in contexts:
        context.close()


# --- colours: both schemes, the map's scale readable in each ---------------------------------


def luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


MAP_COLOURS = """() => {
  const style = (el, prop) => getComputedStyle(el)[prop];
  const shades = [0, 1, 2, 3, 4, 5].map(i => {
    const path = document.querySelector(`svg.japan-map a.shade-${i} path`);
    return path ? style(path, 'fill') : null;
  });
  return {
    bg: style(document.documentElement, 'backgroundColor'),
    ink: style(document.documentElement, 'color'),
    stroke: style(document.querySelector('svg.japan-map path'), 'stroke'),
    shades,
    swatches: [...document.querySelectorAll('.legend .swatch')].map(s => style(s, 'backgroundColor')),
    labels: [...document.querySelectorAll('svg.japan-map text')].map(t =>
      [style(t, 'fill'), style(t.parentNode.querySelector('path'), 'fill')]),
  };
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_each_scheme_has_its_colours_and_a_readable_map_scale(device, host, scheme):
    page = device(1280, scheme)
    page.goto(host + "index.html")
    colours = page.evaluate(MAP_COLOURS)
    dark_page = luminance(colours["bg"]) < 0.05
    assert dark_page == (scheme == "dark"), colours["bg"]
    assert contrast(colours["ink"], colours["bg"]) >= 7
    shades = colours["shades"]
    assert None not in shades, "FY2022 has prefectures at every step of the scale"
    assert colours["swatches"] == shades  # the legend shows the map's own colours
    against_page = [contrast(shade, colours["bg"]) for shade in shades]
    assert against_page == sorted(against_page), "more projects: further from the page's colour"
    assert all(contrast(a, b) >= 1.15 for a, b in itertools.pairwise(shades)), "steps apart"
    assert contrast(colours["stroke"], colours["bg"]) >= 3, "outlines visible on the page (WCAG 1.4.11)"
    assert colours["labels"] and all(contrast(text, fill) >= 4.5 for text, fill in colours["labels"])


@pytest.mark.parametrize("path", EVERY_KIND_OF_PAGE)
def test_no_serious_accessibility_violations_in_the_dark(device, two_year_host, path):
    from axe_playwright_python.sync_playwright import Axe

    page = device(1280, "dark")
    page.goto(two_year_host + path)
    assert luminance(page.evaluate("getComputedStyle(document.documentElement).backgroundColor")) < 0.05
    results = Axe().run(page)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert page.problems == []


# --- the map on a phone: names where they fit, every place a target of 24 × 24 px -------------


def point_in(point: tuple[float, float], outline: list) -> bool:
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(outline, outline[1:] + outline[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def test_a_name_is_placed_only_where_its_box_lies_inside_the_outline():
    reference = load_reference(DATA)
    drawn = svgmap.outlines(reference)
    shapes = reference.map_shapes["shapes"]
    named = []
    for place in reference.prefectures:
        spot = drawn[place.pref_code].label_at
        if spot is None:
            continue
        named.append(place.name)
        half_width = len(svgmap.short_name(place)) * svgmap.LABEL_SIZE / 2
        half_height = svgmap.LABEL_SIZE / 2
        grid = [
            (spot[0] + half_width * i / 8, spot[1] + half_height * j / 8) for i in range(-8, 9) for j in range(-8, 9)
        ]
        assert all(point_in(p, shapes[place.pref_code]) for p in grid), place.name
    assert {"北海道", "岩手県", "長野県", "新潟県", "広島県"} <= set(named) and len(named) >= 15
    assert "香川県" not in named and "大阪府" not in named and "東京都" not in named  # too small: in the list


LIST_TARGETS = """() => [...document.querySelectorAll('.map-places a')].map(a => {
  const box = a.getBoundingClientRect();
  return {pref: a.dataset.pref, href: a.href, text: a.textContent, width: box.width, height: box.height,
          tabbable: a.tabIndex >= 0};
})"""


MAP_PAGES = ["index.html", "prefectures/index.html", "prefectures/kagawa/index.html"]


def test_on_a_phone_every_place_has_a_name_and_a_target_of_24_px(device, host):
    page = device(390)
    for path in MAP_PAGES:
        page.goto(host + path)
        if page.locator(".map-places-box").count():  # folded on a prefecture's page: one tap opens it
            assert page.locator(".map-places-box summary").bounding_box()["height"] >= 24
            page.locator(".map-places-box summary").click()
        check_names_and_targets(page, host)
    assert page.problems == []


def check_names_and_targets(page, host: str) -> None:
    reference = load_reference(DATA)
    targets = page.evaluate(LIST_TARGETS)
    assert [t["pref"] for t in targets] == [p.pref_code for p in reference.prefectures]
    for target, place in zip(targets, reference.prefectures, strict=True):
        assert target["text"].startswith(place.name), target
        assert target["href"] == host + f"prefectures/{place.slug}/index.html"
        assert target["width"] >= 24 and target["height"] >= 24 and target["tabbable"], target
    labels = page.evaluate("""() => [...document.querySelectorAll('svg.japan-map text')].map(t => {
      // across: the glyphs as drawn; up and down: the em box around the central baseline
      const box = t.getBBox(), path = t.parentNode.querySelector('path'), svg = t.ownerSVGElement;
      const size = parseFloat(getComputedStyle(t).fontSize), middle = t.y.baseVal[0].value;
      const inside = [[0, -1], [1, -1], [0, 1], [1, 1], [.5, 0], [0, 0], [1, 0]].every(([i, j]) => {
        const p = svg.createSVGPoint(); p.x = box.x + i * box.width; p.y = middle + j * size / 2;
        return path.isPointInFill(p);
      });
      return {pref: t.parentNode.dataset.pref, text: t.textContent, inside,
              px: t.getBoundingClientRect().height};
    })""")
    by_code = {p.pref_code: p for p in reference.prefectures}
    assert len(labels) >= 15
    for label in labels:
        assert label["text"] == svgmap.short_name(by_code[label["pref"]])
        assert label["inside"], f"{label['text']} runs over its outline as drawn"
        assert label["px"] >= 8, label


# --- the keyboard: past the map in a few presses, visibly ------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_a_skip_link_past_the_map_is_visible_on_focus(device, host, width):
    page = device(width)
    for path in ["index.html", "prefectures/nagano/index.html", "prefectures/index.html"]:
        page.goto(host + path)
        check_skip_link(page, width)


def check_skip_link(page, width: int) -> None:
    unfocused = page.locator(".skip-map").bounding_box()
    assert unfocused is None or unfocused["x"] + unfocused["width"] <= 0, "hidden until focused"
    presses = 0
    while not page.evaluate("document.activeElement.classList.contains('skip-map')"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 15, "the skip link is not among the first 15 stops"
    assert page.evaluate("document.querySelectorAll('svg.japan-map a[tabindex=\"-1\"]').length") == 47
    box = page.locator(".skip-map").bounding_box()
    assert box and box["x"] >= 0 and box["width"] >= 24 and box["height"] >= 24 and box["x"] + box["width"] <= width
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    after_map = page.evaluate("""() => {
      const figure = document.querySelector('figure.map'), active = document.activeElement;
      return !figure.contains(active) && !!(figure.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    assert after_map, page.evaluate("document.activeElement.outerHTML")


# --- text at 200 %, the two-year layout ------------------------------------------------------


def boxes_overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_text_at_200_percent_overlaps_nothing(device, host, width):
    page = device(width)
    for path in ["index.html", "prefectures/nagano/index.html", "search/index.html", "2022/projects/001/index.html"]:
        page.goto(host + path)
        check_text_at_200_percent(page)


def check_text_at_200_percent(page) -> None:
    before = page.evaluate(
        "[...document.querySelectorAll('button')].map(b => parseFloat(getComputedStyle(b).fontSize))"
    )
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # CSSOM: allowed by the CSP
    after = page.evaluate("[...document.querySelectorAll('button')].map(b => parseFloat(getComputedStyle(b).fontSize))")
    assert all(a >= 2 * b - 0.5 for a, b in zip(after, before, strict=True)), (before, after)
    parts = [page.locator(s).bounding_box() for s in ("header.site .brand", "header.site nav", "main h1")]
    if page.locator("header.site .site-search").count():
        parts.append(page.locator("header.site .site-search").bounding_box())
    for i, one in enumerate(parts):
        for other in parts[i + 1 :]:
            assert not boxes_overlap(one, other), (one, other)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_the_two_year_prefecture_page_has_no_gap_beside_the_map(device, two_year_host):
    page = device(1280)
    page.goto(two_year_host + "prefectures/saitama/index.html")
    heading = page.locator("#trend-h").bounding_box()
    table = page.locator("table.trend").bounding_box()
    side = page.locator(".side-map").bounding_box()
    assert table["y"] - (heading["y"] + heading["height"]) < 60, "the table right under its heading"
    assert not boxes_overlap(table, side) and table["y"] < side["y"] + side["height"], "beside the map"


# --- print -----------------------------------------------------------------------------------


PRINTED = """() => {
  const shown = s => [...document.querySelectorAll(s)].some(e => e.getClientRects().length > 0);
  return {nav: shown('header.site nav'), search: shown('.site-search, .search-box'), skip: shown('.skip-map'),
          footer: document.querySelector('footer.site').innerText,
          exact: [...document.querySelectorAll('.swatch, svg.japan-map')].map(e => getComputedStyle(e).printColorAdjust),
          url: [...document.querySelectorAll('footer .print-only')].filter(e => e.getClientRects().length).map(e => e.innerText)};
}"""


def test_every_kind_of_page_prints_with_its_address_and_coloured_legend(device, sub_host):
    page = device(800, "dark")  # a dark screen still prints light
    page.emulate_media(media="print")
    for path in PRINTED_PAGES:
        page.goto(sub_host + path)
        printed = page.evaluate(PRINTED)
        assert not printed["nav"] and not printed["search"] and not printed["skip"], path
        assert "・" not in printed["footer"] and "出典" in printed["footer"], path
        assert set(printed["exact"]) <= {"exact"}, path
        assert printed["url"] == [f"このページ:{sub_host}{path.replace('index.html', '')}"]
        assert luminance(page.evaluate("getComputedStyle(document.documentElement).backgroundColor")) > 0.9
    assert page.problems == []


def ppm_pixels(path: Path) -> set[tuple[int, int, int]]:
    """The colours of a binary PPM (pdftoppm's output)."""
    data = path.read_bytes()
    fields = data.split(maxsplit=4)  # P6, width, height, maxval, pixels
    pixels = fields[4]
    return {tuple(pixels[i : i + 3]) for i in range(0, len(pixels) - 2, 3)}


def near(colour: tuple[int, int, int], hex_colour: str, tolerance: int = 6) -> bool:
    wanted = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return all(abs(a - b) <= tolerance for a, b in zip(colour, wanted, strict=True))


def test_a_printed_prefecture_page_carries_its_address_and_the_legend_in_colour(device, sub_host, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils is not installed (./scripts/test installs it)")
    page = device(1280, "dark")
    page.goto(sub_host + "prefectures/nagano/index.html")
    page.evaluate("document.querySelector('svg.japan-map').style.display = 'none'")  # only the swatches left
    pdf = tmp_path / "nagano.pdf"
    page.pdf(path=str(pdf), format="A4")  # backgrounds off, as a browser's print dialog starts
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).replace("\n", "").replace(" ", "")
    assert f"このページ:{sub_host}prefectures/nagano/" in text
    assert "都道府県分野所管局" not in text  # no navigation
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    colours = ppm_pixels(next(tmp_path.glob("page*.ppm")))
    for shade in svgmap.SHADES[2:]:  # the light scheme's swatches, printed from a dark screen
        assert any(near(colour, shade) for colour in colours), f"no swatch of {shade} on paper"


# --- the 404 page at any depth ---------------------------------------------------------------


def check_not_found_page(page, url: str, site_root: str, checked: set[str]) -> None:
    """The 404 page at ``url``: styled, and every link (each fetched once: ``checked``) and the
    search box's suggestions within ``site_root`` and found."""
    response = page.goto(url)
    assert response.status == 404
    assert page.locator("h1").text_content() == "ページが見つかりません"
    styled = page.evaluate("getComputedStyle(document.querySelector('header.site')).display")
    assert styled == "flex", "style.css applies"
    links = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert len(links) >= 8
    for link in links:
        target = link.split("#")[0]
        if target == url:
            continue
        assert target.startswith(site_root), link
        if target not in checked:
            assert page.request.get(target).status == 200, link
            checked.add(target)
    page.fill("#site-q", "長野")
    page.wait_for_selector("#site-q-list li")
    suggestion = page.evaluate("new URL(document.querySelector('#site-q-list li').dataset.href, location.href).href")
    assert suggestion.startswith(site_root) and page.request.get(suggestion).status == 200
    assert [p for p in page.problems if "404" not in p] == []


DEPTHS = ["nothing-here", "a/b/c/d/missing.html", "prefectures/nowhere/", "2022/projects/999/"]


def test_the_404_page_works_at_any_depth_without_a_base_url(device, host):
    page, checked = device(390), set()
    for depth in DEPTHS:
        check_not_found_page(page, host + depth, host, checked)


def test_the_404_page_links_absolutely_with_a_base_url(device, sub_host):
    page, checked = device(1280, "dark"), set()
    for depth in DEPTHS:
        check_not_found_page(page, sub_host + depth, sub_host, checked)
        hrefs = page.evaluate(
            "[...document.querySelectorAll('a[href], link[href], script[src]')]"
            ".map(e => e.getAttribute('href') || e.getAttribute('src'))"
        )
        assert all(h.startswith((sub_host, "#", "data:")) for h in hrefs), hrefs
