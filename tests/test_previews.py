"""Link previews (site/share.py, site/previews.py): every page says what it holds in
description/og:description, names its 1200×630 image and asks for a large card; the image is drawn
from the map data, the same bytes every time, kept by content so a rebuild draws none again."""

from __future__ import annotations

import html as htmllib
import io
import os
import re
import subprocess
import sys

import pytest

from renkei_site.site import paths, previews
from renkei_site.site.plan import Page
from renkei_site.site.svgmap import SHADES

Image = pytest.importorskip("PIL.Image")
BASE = "https://example.org/renkei/"


@pytest.fixture(scope="module")
def r():
    from conftest import DATA
    from test_feeds import renderer_of

    return renderer_of(DATA)


def meta(html: str) -> dict[str, str]:
    found = re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', html)
    return {name: htmllib.unescape(value) for name, value in found}


def test_every_page_has_its_description_title_image_and_a_large_card(r):
    images = {p.path for p in r.plan if p.kind == "preview"}
    descriptions = set()
    for page in r.plan:
        if not page.path.endswith(".html") or page.kind == "redirect":
            continue
        html = r.render(page).decode("utf-8")
        tags = meta(html)
        assert tags["description"] == tags["og:description"] and tags["description"], page.path
        assert tags["og:title"] == htmllib.unescape(re.search(r"<title>(.*)</title>", html).group(1))
        assert tags["twitter:card"] == "summary_large_image"
        assert tags["og:image"].removeprefix(BASE) in images, page.path
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        descriptions.add(tags["description"])
    assert len(descriptions) > 250  # one for each place, project, field, bureau, group …: not one for all


def test_the_home_title_names_the_site_once(r):
    html = r.render(Page(paths.HOME, "home")).decode("utf-8")
    assert "<title>全国各地との連携事業カタログ</title>" in html


@pytest.mark.parametrize(
    ("path", "description"),
    [
        ("municipalities/141305/index.html", "神奈川県川崎市が関係自治体として挙がる東京都の連携事業 6件(2022年度)"),
        (
            "prefectures/nagano/index.html",
            "長野県または長野県内の市区町村が関係自治体として挙がる東京都の連携事業",
        ),
        ("fields/sangyo/index.html", "分野「産業」の東京都の連携事業"),
    ],
)
def test_descriptions_say_what_the_page_holds(r, path, description):
    page = next(p for p in r.plan if p.path == path)
    assert meta(r.render(page).decode("utf-8"))["description"].startswith(description)


def test_the_images_planned_are_one_per_page_of_a_kind_and_one_for_the_site(r):
    from renkei_site.site.share import PREVIEW_KINDS

    wanted = {paths.preview_path(p.path) for p in r.plan if p.kind in PREVIEW_KINDS} | {paths.SITE_PREVIEW}
    assert {p.path for p in r.plan if p.kind == "preview"} == wanted


def colour(image, x: float, y: float) -> str:
    left, top = previews.MAP_BOX[:2]
    scale = previews.map_scale({"width": 960.3, "height": 1000.0})
    rgb = image.convert("RGB").getpixel((round(left + x * scale), round(top + y * scale)))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def inner_point(outline: list) -> tuple[float, float]:
    """A point well inside an outline: the middle of the widest run of its middle row."""
    ys = [y for _, y in outline]
    y = (min(ys) + max(ys)) / 2
    xs = sorted(
        x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        for (x0, y0), (x1, y1) in zip(outline, outline[1:] + outline[:1], strict=True)
        if (y0 > y) != (y1 > y)
    )
    runs = [(b - a, (a + b) / 2) for a, b in zip(xs[::2], xs[1::2], strict=True)]
    return max(runs)[1], y


def test_a_prefecture_image_is_that_prefecture_shaded_on_the_map(r):
    page = next(p for p in r.plan if p.path == paths.preview_path("prefectures/nagano/index.html"))
    image = Image.open(io.BytesIO(r.render(page)))
    assert image.size == (1200, 630) and image.format == "PNG"
    shapes = r.ref.map_shapes["shapes"]
    assert colour(image, *inner_point(shapes["20"])) == SHADES[5]
    assert colour(image, *inner_point(shapes["13"])) == SHADES[0]
    right = image.convert("L").crop((previews.TEXT_LEFT, 120, previews.TEXT_RIGHT, 200))
    assert right.getextrema()[0] < 60  # the title is drawn beside the map


def test_a_municipality_is_a_marked_point_in_its_shaded_prefecture(r):
    place = r.ref.places["141305"]
    picture = previews.picture_of(r, Page(paths.municipality_path("141305"), "municipality", "141305"))
    assert picture.shaded == (("14", 2),) and picture.marks == (previews.map_point(place),)
    image = Image.open(io.BytesIO(previews.draw(picture, r.ref.map_shapes)))
    assert colour(image, *picture.marks[0]) == previews.MARK


def test_a_projects_image_shades_its_partner_prefectures(r):
    project = r.cat.by_key["2022/001"]
    picture = previews.picture_of(r, Page(paths.project_path(project), "project", project.key))
    named = {pref for pref, inv in r.cat.involvement(project).items() if inv.how == "named"}
    assert {code for code, level in picture.shaded if level == 4} == named
    assert len(picture.marks) >= 10  # the municipalities it names now


def test_municipalities_fall_inside_their_prefecture_on_the_map(reference):
    """The projection beside japan-map.json, as a property of the whole reference table: nearly every
    municipality's coordinates fall in its own prefecture's outline (the rest on coasts and islands
    the outlines leave out), and every point lies on the map."""
    from PIL import ImageDraw

    shapes = reference.map_shapes
    scale = 2
    labels = Image.new("L", (round(shapes["meta"]["width"] * scale) + 1, round(shapes["meta"]["height"] * scale) + 1))
    pen = ImageDraw.Draw(labels)
    for code, outline in shapes["shapes"].items():
        pen.polygon([(x * scale, y * scale) for x, y in outline], fill=int(code))
    placed = [(p, previews.map_point(p)) for p in reference.places.values() if not p.is_prefecture]
    assert len(placed) > 1900 and all(point for _, point in placed)
    inside = 0
    for place, (x, y) in placed:
        px, py = round(x * scale), round(y * scale)
        if 0 <= px < labels.width and 0 <= py < labels.height:
            inside += labels.getpixel((px, py)) == int(place.pref_code)
    assert inside / len(placed) > 0.93


def test_the_same_picture_is_the_same_bytes_in_another_process(r):
    picture = previews.picture_of(r, Page(paths.prefecture_path(r.ref.places["200000"]), "prefecture", "200000"))
    here = previews.draw(picture, r.ref.map_shapes)
    assert here == previews.draw(picture, r.ref.map_shapes)
    code = (
        "import json, sys; from renkei_site.site import previews as p; "
        f"sys.stdout.buffer.write(p.draw(p.{picture!r}, json.load(open('data/reference/japan-map.json'))))"
    )
    from conftest import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, cwd=ROOT, env=env).stdout
    assert there == here


def test_a_drawn_image_is_kept_and_never_drawn_again(r, tmp_path, monkeypatch):
    picture = previews.Picture("長野県", "説明", (("20", 5),))
    first = previews.png(picture, r.ref.map_shapes, tmp_path)
    kept = list(tmp_path.rglob("*.png"))
    assert len(kept) == 1 and kept[0].read_bytes() == first
    monkeypatch.setattr(previews, "draw", lambda *a: pytest.fail("drawn again"))
    assert previews.png(picture, r.ref.map_shapes, tmp_path) == first
    with pytest.raises(BaseException, match="drawn again"):
        previews.png(previews.Picture("長野県", "別の説明", (("20", 5),)), r.ref.map_shapes, tmp_path)


def test_a_rebuild_with_changed_data_draws_only_the_images_that_changed(data_2022, tmp_path, monkeypatch):
    """A note changes one page's text, not its picture: the second build renders every page and draws none."""
    from renkei_site import pipeline

    site = tmp_path / "site"
    pipeline.build(data_2022, site, BASE, jobs=2)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*.png")}
    assert len(first) > 200
    notes = data_2022 / "notes" / "prefectures"
    notes.mkdir(parents=True, exist_ok=True)
    (notes / "nagano.md").write_text("# 長野県について\n\n編集部の注記。\n", encoding="utf-8")
    monkeypatch.setattr(previews, "draw", lambda *a: pytest.fail("an image was drawn again"))
    result = pipeline.build(data_2022, site, BASE, jobs=1)
    assert not result.unchanged and result.written >= 1
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*.png")} == first


def test_without_a_cjk_font_the_build_says_so_and_writes_nothing(data_2022, tmp_path, monkeypatch, capsys):
    from renkei_site.cli import main

    monkeypatch.setattr(previews, "FONT_FILES", ())
    monkeypatch.setattr(previews, "fontconfig_japanese", lambda: "")
    monkeypatch.delenv("RENKEI_SITE_FONT", raising=False)
    previews.font_file.cache_clear()
    try:
        status = main(["-q", "build", "--data", str(data_2022), "--out", str(tmp_path / "site"), "--base-url", BASE])
    finally:
        previews.font_file.cache_clear()
    assert status == 1
    assert "fonts-noto-cjk" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()
    assert main(["-q", "build", "--data", str(data_2022), "--out", str(tmp_path / "plain")]) == 0  # no URL, no images


def test_a_named_font_that_is_not_there_is_an_error(monkeypatch):
    monkeypatch.setenv("RENKEI_SITE_FONT", "/nowhere/font.ttc")
    previews.font_file.cache_clear()
    try:
        with pytest.raises(previews.NoFontError, match=r"/nowhere/font\.ttc"):
            previews.font_file()
    finally:
        monkeypatch.delenv("RENKEI_SITE_FONT")
        previews.font_file.cache_clear()
