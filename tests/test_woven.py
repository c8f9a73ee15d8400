"""The files that carry notes made in two steps (site/exports/woven.py, site/search.py): the
notes-free part, kept between builds (parts.py), and the notes woven in.  Their bytes are the
plain serialisation of the same data (json.dumps of the whole, csv.DictWriter) for hostile
text too; a part taken from the store gives, after a note is edited, added or removed, the
bytes made with nothing kept; the part is really taken; no note reaches it."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import DATA
from hypothesis import given
from hypothesis import strategies as st

from renkei_site import pipeline, reads
from renkei_site.model import Catalogue
from renkei_site.notes import Note, Notes
from renkei_site.parts import NO_PARTS, Parts
from renkei_site.resolve.mention import Mention
from renkei_site.site import search
from renkei_site.site.downloads import DOWNLOAD_BY_NAME
from renkei_site.site.exports import woven
from renkei_site.site.exports.rows import PARTNER_FIELDS, PROJECT_FIELDS, encoded, partner_rows, project_rows, write_csv

HOSTILE = 'a,b"c\r\nd</script>\u2028\u2029{0}{{x}}%s\x00\t end'  # CSV, script, format and NUL troubles
MARK = "注記マーク"  # in every note, and nowhere in the data
NOTED = {  # the notes before and after the edit, by index of the project: changed, removed, added
    "before": {0: f"**{MARK}** {HOSTILE}", 1: f"{MARK} 消える", 3: "<!-- -->"},
    "after": {0: f"{MARK} 変えた <b>&amp;</b>", 2: f"{MARK} 加えた\n\n- 一\n- 二", 3: "<!-- -->"},
}
FILES = ("search-index.js", "projects.csv", "projects.json", "partners.csv", "partners.json")
PARTS = {"search-index.js": (search, "index_part"), "projects.csv": (woven, "projects_csv_part")}
PARTS["projects.json"] = (woven, "projects_json_part")


@pytest.fixture(scope="module")
def years():
    """FY2022 with a hostile project first (cells, remarks and a partner's wording)."""
    reference = pipeline.load_reference(DATA)
    (year,) = pipeline.load_years(DATA, reference)
    odd = Mention("current", "current", "text", f"{HOSTILE}(グループ)")
    first = replace(year.projects[0], description=HOSTILE, remarks=f"<b>{HOSTILE}</b>&amp;")
    first = replace(first, mentions=(*first.mentions, odd))
    return [replace(year, projects=(first, *year.projects[1:]))], reference


def catalogue(years, when: str = "before", parts: Parts = NO_PARTS, empty: bool = False) -> Catalogue:
    year_list, reference = years
    if empty:
        year_list = [replace(year_list[0], projects=())]
    projects = year_list[0].projects
    notes = {
        ("project", projects[i].key): Note("project", projects[i].key, text, f"notes/projects/{i}.md")
        for i, text in NOTED[when].items()
        if i < len(projects)
    }
    return Catalogue(year_list, reference, notes=Notes(notes=notes), parts=parts)


def made(cat: Catalogue, name: str) -> bytes:
    if name == "search-index.js":
        return search.index_script(cat)
    return DOWNLOAD_BY_NAME[name].make(cat, cat.latest)


def site_path(cat: Catalogue, name: str) -> str:
    return name if name == "search-index.js" else DOWNLOAD_BY_NAME[name].path(cat.latest)


def made_into_site(cat: Catalogue, name: str) -> bytes:
    """The file, made and written into the store's site as a build writes it (where the part,
    kept as the lengths of its segments, is taken from by the next build)."""
    data = made(cat, name)
    path = cat.parts.site / site_path(cat, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def store_in(tmp_path, key: str = "k") -> Parts:
    return Parts(tmp_path / "parts", key, site=tmp_path / "site")


def json_array(rows) -> str:
    lines = [json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows]
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


def plain(cat: Catalogue, name: str) -> bytes:
    """The file made the plain way: the whole serialised at once, or row by row."""
    year = cat.latest
    if name == "search-index.js":
        text = json.dumps(search.index_data(cat), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return f"window.RENKEI_SEARCH={search.script_safe(text)};\n".encode()
    if name == "projects.csv":
        return encoded(lambda out: write_csv(project_rows(cat, year), PROJECT_FIELDS, out), bom=True)
    if name == "partners.csv":
        return encoded(lambda out: write_csv(partner_rows(year), PARTNER_FIELDS, out), bom=True)
    rows = project_rows(cat, year) if name == "projects.json" else partner_rows(year)
    return json_array(rows).encode()


@pytest.mark.parametrize("empty", [False, True], ids=["FY2022", "no projects"])
@pytest.mark.parametrize("name", FILES)
def test_each_file_is_the_plain_serialisation_of_its_data(years, name, empty):
    cat = catalogue(years, empty=empty)
    data = made(cat, name)
    assert data == plain(cat, name)
    if not empty:  # the hostile text is in it, written as the format writes text
        as_json = json.dumps(HOSTILE, ensure_ascii=False)[:-1]
        as_json = search.script_safe(as_json) if name == "search-index.js" else as_json
        assert (HOSTILE.replace('"', '""') if name.endswith(".csv") else as_json).encode() in data


def test_the_index_carries_each_note_once_and_the_query_data_too(years):
    cat = catalogue(years, "after")
    text = made(cat, "search-index.js").decode()
    data = json.loads(text.removeprefix("window.RENKEI_SEARCH=").removesuffix(";\n"))
    assert data == json.loads(json.dumps(search.index_data(cat)))
    with_note = [item["e"] for item in data["items"] if "e" in item]
    assert len(with_note) == 3 and sum(MARK in note for note in with_note) == 2  # <!-- --> is an empty "e"


def counted_makes(monkeypatch, name: str) -> list[int]:
    """A list that gets an entry each time the part of ``name`` is made."""
    module, function = PARTS[name]
    calls: list[int] = []
    make_part = getattr(module, function)
    monkeypatch.setattr(module, function, lambda *args: calls.append(1) or make_part(*args))
    return calls


@pytest.mark.parametrize("name", sorted(PARTS))
def test_a_kept_part_gives_the_bytes_of_a_fresh_make_after_a_note_edit(years, name, tmp_path, monkeypatch):
    calls = counted_makes(monkeypatch, name)
    store = tmp_path / "parts"
    with reads.recording() as fresh_reads:
        first = made_into_site(catalogue(years, "before", store_in(tmp_path)), name)
    assert first == made(catalogue(years, "before"), name) and len(calls) == 2  # made and stored; made
    with reads.recording() as kept_reads:
        after = made_into_site(catalogue(years, "after", store_in(tmp_path)), name)
    assert len(calls) == 2, "the part is taken from the store, not made again"
    assert after == made(catalogue(years, "after"), name) == plain(catalogue(years, "after"), name)
    assert after != first
    assert kept_reads == fresh_reads  # the same projects' wording and notes read: the page's dependencies
    assert any(atom.startswith("project:") for atom in kept_reads)
    (kept,) = store.iterdir()
    assert MARK.encode() not in kept.read_bytes()
    assert kept.stat().st_size < len(after) // 4  # where the segments are, not the segments
    made_so_far = len(calls)  # the fresh makes above made it too
    again = made_into_site(catalogue(years, "before", store_in(tmp_path)), name)
    assert again == first and len(calls) == made_so_far  # and back: taken from the site's file again


@pytest.mark.parametrize("name", sorted(PARTS))
def test_a_part_is_made_again_when_the_site_file_is_not_the_one_it_became(years, name, tmp_path, monkeypatch):
    calls = counted_makes(monkeypatch, name)
    cat = catalogue(years, "before", store_in(tmp_path))
    first = made_into_site(cat, name)
    path = tmp_path / "site" / site_path(cat, name)
    for changed in (first.replace(b"2022", b"2021", 1), first + b"\n", first[:-2] + b"\xff\n", b""):
        path.write_bytes(changed)  # edited by hand (the same length too; not UTF-8; empty)
        assert made(cat, name) == first
    assert len(calls) == 5


@given(st.lists(st.tuples(st.text(max_size=6), st.text(max_size=4)), max_size=8), st.text(max_size=5))
def test_cut_up_gives_back_the_segments_of_any_woven_text(rows, start):
    pieces = woven.segments(start, rows, ",", "]")
    inserts = [f"<{i}>" * (i % 3) for i in range(len(pieces) - 1)]
    text = woven.weave(pieces, inserts).encode("utf-8", "surrogatepass")
    lengths = (tuple(map(len, pieces)), tuple(map(len, inserts)))
    assert woven.cut_up(text, lengths) == pieces
    assert woven.text_digest(woven.cut_up(text, lengths)) == woven.text_digest(pieces)
    with pytest.raises(ValueError):
        woven.cut_up(text + b"x", lengths)


@pytest.mark.parametrize("name", sorted(PARTS))
def test_another_key_makes_the_part_again(years, name, tmp_path, monkeypatch):
    calls = counted_makes(monkeypatch, name)
    made_into_site(catalogue(years, "before", store_in(tmp_path, "k")), name)
    made_into_site(catalogue(years, "before", store_in(tmp_path, "other")), name)
    assert len(calls) == 2


def test_segments_and_weave_round_trip():
    pieces = woven.segments("<", [("a", "b"), ("c", "d")], "|", ">")
    assert pieces == ("<a", "b|c", "d>")
    assert woven.weave(pieces, ["1", "2"]) == "<a1b|c2d>"
    assert woven.weave(woven.segments("<", [], "|", ">"), []) == "<>"
    with pytest.raises(ValueError, match="3 segments take 2 inserts, not 1"):
        woven.weave(pieces, ["1"])


@pytest.mark.parametrize("text", ["", "a", "a,b", 'q"', "x\ny", "\r", " lead", HOSTILE])
def test_a_csv_cell_is_the_cell_the_writer_writes(text):
    assert woven.csv_lines([["x", text]]) == [f"x,{woven.csv_cell(text)}\n"]


@pytest.mark.parametrize("hold_the_mark", [False, True])
def test_rows_split_cuts_one_encoded_array_as_each_row_alone(years, hold_the_mark):
    """One encode of every item of the index, cut at marks, gives the segments of each item cut
    alone, for hostile text and for data that holds the mark itself (each row alone, then)."""
    items = search.notes_free_data(catalogue(years))["items"]
    if hold_the_mark:
        items[3] = {**items[3], "d": f"x{woven.MARK}y", "o": {"a": 1, "e": woven.MARK, "z": 2}}  # a member marked
    alone = woven.segments("[", (woven.json_split(i, "e", search.COMPACT) for i in items), ",", "]")
    assert woven.rows_split(items, "e", search.COMPACT) == alone
    notes = [woven.json_member("e", f"注{n}", search.COMPACT) for n in range(len(items))]
    expected = [{"e": f"注{n}"} | item for n, item in enumerate(items)]
    assert json.loads(woven.weave(alone, notes)) == expected


@pytest.mark.parametrize("row", [{"e": 1, "a": 1, "f": 1}, {"a": 1}, {"f": 1}, {}])
def test_rows_split_refuses_a_row_the_member_cannot_go_inside(row):
    with pytest.raises(ValueError, match="must sort between"):
        woven.rows_split([{"a": 1, "f": 2}, row], "e", json.JSONEncoder(sort_keys=True))
