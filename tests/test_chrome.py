"""site/chrome.py: the frame a page shares is the frame the page would have made itself.

Every HTML page of FY2022 (with an editors' note of every kind and the Markdown pages, and a
base URL, so that the 404 page's absolute links are there too) is rendered twice: with the
frame shared between pages, and with each page making its own; the bytes must be the same.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from example_notes import write_notes

from renkei_site import pipeline, reads
from renkei_site.resolve.reference import load_reference
from renkei_site.site import chrome
from renkei_site.site.render import site_renderer
from renkei_site.site.theme import site_theme

DATA = Path(__file__).resolve().parent.parent / "data"


class Unshared(chrome.Chrome):
    """Each page makes its own frame."""

    def part(self, name, page_path):
        self._made.clear()
        self._starts.clear()
        return super().part(name, page_path)


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    data = tmp_path_factory.mktemp("chrome") / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(".cache", ".lock"))
    write_notes(data)
    reference = load_reference(data)
    years = pipeline.load_years(data, reference)
    notes = pipeline.load_pages_and_notes(data, years, reference)
    return site_renderer(years, reference, site_theme(), "https://example.org/renkei/", notes=notes)


def test_every_page_has_the_frame_it_would_make_itself(renderer):
    pages = [page for page in renderer.plan if page.path.endswith(".html")]
    assert len(pages) > 2000  # every municipality has a page
    shared = {page.path: renderer.render(page) for page in pages}
    assert len(renderer.chrome._made) < len(pages) / 10  # the frame really is shared
    renderer.chrome = Unshared(renderer.env, renderer.base_url)
    for page in pages:
        assert renderer.render(page) == shared[page.path], page.path


def test_a_frame_that_reads_a_note_is_refused(renderer, monkeypatch):
    frame = chrome.Chrome(renderer.env, renderer.base_url)
    template = renderer.env.get_template(chrome.TEMPLATE)
    original = template.render

    def reading_render(*args, **kwargs):
        reads.read(reads.note_atom("project", "2022/001"))
        return original(*args, **kwargs)

    monkeypatch.setattr(template, "render", reading_render)
    with pytest.raises(chrome.SharedFrameReadAtom, match="note:project/2022/001"):
        frame.part("nav", "2022/index.html")
