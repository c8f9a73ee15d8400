"""catalogue.sqlite opens in Datasette with its metadata.json (issue 23): one `datasette serve`
for the module, on 127.0.0.1, asked what a reader would ask."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from renkei_site import pipeline
from renkei_site.model import Catalogue
from renkei_site.site.exports import datasette, sqlite, terms


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    from conftest import DATA

    reference = pipeline.load_reference(DATA)
    years = pipeline.load_years(DATA, reference)
    return Catalogue(years, reference, notes=pipeline.load_pages_and_notes(DATA, years, reference))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(cat, tmp_path_factory):
    folder = tmp_path_factory.mktemp("datasette")
    (folder / "catalogue.sqlite").write_bytes(sqlite.catalogue_sqlite(cat))
    (folder / "metadata.json").write_bytes(datasette.metadata_json(cat))
    port = free_port()
    command = [sys.executable, "-m", "datasette", "serve", "catalogue.sqlite", "--metadata", "metadata.json"]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("datasette did not start: " + process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def get(base: str, path: str, **params) -> bytes:
    query = ("?" + urllib.parse.urlencode(params)) if params else ""
    with urllib.request.urlopen(base + urllib.parse.quote(path) + query, timeout=30) as response:
        return response.read()


def get_json(base: str, path: str, **params):
    return json.loads(get(base, path, **params))


def test_datasette_serves_the_metadata_with_source_and_terms(server, cat):
    served = get_json(server, "/-/metadata.json")
    assert served == json.loads(datasette.metadata_json(cat))
    assert served["license"] == terms.LICENSE and terms.CREDIT in served["source"]
    assert terms.TERMS in served["description"]
    home = get(server, "/").decode("utf-8")
    assert terms.LICENSE in home and terms.CREDIT in home  # shown on every page's footer


def test_every_table_and_view_is_there_with_its_title(server):
    database = get_json(server, "/catalogue.json")
    tables = {t["name"] for t in database["tables"]} | {v["name"] for v in database["views"]}
    assert set(datasette.TABLES) <= tables
    projects = get(server, "/catalogue/projects").decode("utf-8")
    assert datasette.TABLES["projects"][0] in projects  # the table's title from metadata.json


def test_foreign_keys_give_labels(server, cat):
    rows = get_json(server, "/catalogue/mentions.json", _labels="on", _shape="array", _size="1")
    first = cat.all_projects[0]
    assert rows[0]["project_key"] == {"value": first.key, "label": first.name}


def with_word(cat: Catalogue, word: str) -> list[str]:
    def text(p) -> str:
        return " ".join(
            [*(getattr(p, n) for n in sqlite.TEXT_INDEXED if n != "notes"), cat.notes.source("project", p.key)]
        )

    return [p.key for p in cat.all_projects if word in text(p)]


def test_search_answers_short_and_long_words(server, cat):
    water = get_json(server, "/catalogue/search.json", q="水素", _shape="array")  # two characters: LIKE
    assert [row["key"] for row in water] == with_word(cat, "水素") != []
    ramsar = get_json(server, "/catalogue/projects.json", _search="ラムサール", _shape="array")  # the search box
    assert [row["key"] for row in ramsar] == with_word(cat, "ラムサール") != []


def test_the_views_answer_the_common_questions(server):
    counts = get_json(server, "/catalogue/prefecture_counts.json", _shape="array", _size="max")
    assert len(counts) == 47 and {row["prefecture"] for row in counts} >= {"北海道", "沖縄県"}
    never = get_json(server, "/catalogue/prefectures_never_named.json", _shape="array")
    assert {row["pref_code"] for row in never} == {row["pref_code"] for row in counts if row["named"] == 0}
    nagano = get_json(server, "/catalogue/prefecture.json", prefecture="長野県", _shape="array")
    assert len(nagano) == next(row["total"] for row in counts if row["prefecture"] == "長野県")
