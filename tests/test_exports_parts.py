"""catalogue.sqlite and projects.xlsx made from a part kept between builds (parts.py): the same
bytes as made with nothing kept, after a note edit too; the part really taken from the store;
no note's text in a part; and the workbook's batched cells equal to one cell written at a time."""

from __future__ import annotations

import io
import pickle
import sqlite3
import zipfile
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from renkei_site import pipeline
from renkei_site.model import Catalogue
from renkei_site.notes import Note
from renkei_site.parts import NO_PARTS, Parts, patched
from renkei_site.site.exports import sqlite, workbook, xlsx
from renkei_site.site.exports.datasette import SEARCH_SQL

HOSTILE = "注記 <b>タグ</b> & \"引用\" 'x' ]]> =SUM(1)\x07"


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory) -> Catalogue:
    """The shipped FY2022 catalogue, with nothing kept."""
    from conftest import DATA

    reference = pipeline.load_reference(DATA)
    years = pipeline.load_years(DATA, reference)
    return Catalogue(years, reference, notes=pipeline.load_pages_and_notes(DATA, years, reference))


def with_notes(cat: Catalogue, texts: dict[str, str], parts: Parts = NO_PARTS) -> Catalogue:
    """``cat`` with these project notes (key -> text) and this store."""
    notes = {("project", key): Note("project", key, text, f"notes/projects/{key}.md") for key, text in texts.items()}
    return replace(cat, notes=replace(cat.notes, notes=notes), parts=parts)


def note_texts(cat: Catalogue, step: int) -> dict[str, str]:
    keys = [p.key for p in cat.all_projects]
    return {
        keys[0]: f"雪だるま注記{step} {HOSTILE}",
        keys[7 + step]: f"編集部確認{step}:水素の件",
        keys[-1]: "末尾の注記\n二行目",
    }


MAKERS = {
    "catalogue.sqlite": (lambda cat: sqlite.catalogue_sqlite(cat), sqlite, "database_without_notes"),
    "projects.xlsx": (lambda cat: workbook.year_workbook(cat, cat.years[-1]), workbook, "workbook_without_notes"),
}
SITE_PATHS = {"catalogue.sqlite": sqlite.SITE_PATH, "projects.xlsx": "2022/projects.xlsx"}


def store_in(tmp_path) -> Parts:
    """A store beside a site (tmp_path/site: where a part kept in place finds its file)."""
    return Parts(tmp_path / "parts", "key", site=tmp_path / "site")


def made_into_site(tmp_path, name: str, cat: Catalogue) -> bytes:
    """The file ``name`` made from ``cat``, and written into the site as a build writes it."""
    data = MAKERS[name][0](cat)
    path = tmp_path / "site" / SITE_PATHS[name]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_a_kept_part_gives_the_bytes_of_a_fresh_make_after_a_note_edit(catalogue, tmp_path, monkeypatch, name):
    make, module, maker = MAKERS[name]
    calls = []
    real = getattr(module, maker)
    monkeypatch.setattr(module, maker, lambda *args: calls.append(1) or real(*args))
    store = store_in(tmp_path)
    first = made_into_site(tmp_path, name, with_notes(catalogue, note_texts(catalogue, 0), store))
    assert first == make(with_notes(catalogue, note_texts(catalogue, 0)))  # with nothing kept
    assert calls == [1, 1] and len(list((tmp_path / "parts").iterdir())) == 1
    for step in (1, 2):  # a note edited, added, removed: the part is taken from the store
        edited = made_into_site(tmp_path, name, with_notes(catalogue, note_texts(catalogue, step), store))
        assert edited == make(with_notes(catalogue, note_texts(catalogue, step)))
        assert edited != first
    assert calls == [1, 1, 1, 1]  # the store's part twice, the fresh makes each once
    assert made_into_site(tmp_path, name, with_notes(catalogue, {}, store)) == make(with_notes(catalogue, {}))
    assert calls == [1, 1, 1, 1, 1]


def test_a_database_part_is_made_again_when_the_site_file_is_not_the_one_it_became(catalogue, tmp_path, monkeypatch):
    calls = []
    real = sqlite.database_without_notes
    monkeypatch.setattr(sqlite, "database_without_notes", lambda *args: calls.append(1) or real(*args))
    store = store_in(tmp_path)
    first = made_into_site(tmp_path, "catalogue.sqlite", with_notes(catalogue, note_texts(catalogue, 0), store))
    path = tmp_path / "site" / sqlite.SITE_PATH
    stored = sum(p.stat().st_size for p in (tmp_path / "parts").iterdir())
    assert stored < len(first) // 20  # the pages the notes changed, not a copy of the database
    path.write_bytes(first[:-1] + b"\1")  # the site's file changed by hand
    again = sqlite.catalogue_sqlite(with_notes(catalogue, note_texts(catalogue, 0), store))
    assert again == first and calls == [1, 1]


def kept_part(tmp_path, name: str, cat: Catalogue):
    """The part the store keeps for the file ``name`` made from ``cat`` (parts.py: whole, or as
    the blocks in which it differs from the file it became)."""
    made = made_into_site(tmp_path, name, replace(cat, parts=store_in(tmp_path)))
    (path,) = (tmp_path / "parts").iterdir()
    kept = pickle.loads(path.read_bytes())[1]
    if len(kept) == 2:  # (part, what it read)
        return kept[0]
    _, _, (length, blocks), _ = kept  # (file's digest, part's digest, record, what it read)
    return bytes(patched(made, length, blocks))


def test_no_note_reaches_the_database_part(catalogue, tmp_path):
    texts = note_texts(catalogue, 0)
    part = kept_part(tmp_path, "catalogue.sqlite", with_notes(catalogue, texts))
    assert all(text.encode() not in part for text in texts.values())
    assert "雪だるま注記".encode() not in part  # the search index holds no piece of one either
    db = sqlite3.connect(":memory:")
    db.deserialize(part)
    assert db.execute("SELECT count(*) FROM projects WHERE notes <> ''").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM projects").fetchone() == (len(catalogue.all_projects),)


def test_no_note_reaches_the_workbook_part(catalogue, tmp_path):
    texts = note_texts(catalogue, 0)
    part = kept_part(tmp_path, "projects.xlsx", with_notes(catalogue, texts))
    with zipfile.ZipFile(io.BytesIO(part.workbook)) as archive:
        assert "xl/worksheets/sheet2.xml" not in archive.namelist()
        xml = "".join(archive.read(name).decode() for name in archive.namelist())
    assert "雪だるま" not in xml and "雪だるま" not in "".join(part.project_cells)
    assert len(part.project_cells) == len(catalogue.years[-1].projects)


def test_the_notes_put_into_the_database_are_found_and_its_index_is_whole(catalogue):
    texts = note_texts(catalogue, 0)
    db = sqlite3.connect(":memory:")
    db.deserialize(sqlite.catalogue_sqlite(with_notes(catalogue, texts)))
    assert dict(db.execute("SELECT key, notes FROM projects WHERE notes <> ''")) == texts
    db.execute("INSERT INTO projects_fts(projects_fts) VALUES ('integrity-check')")
    found = {row[2] for row in db.execute(SEARCH_SQL, {"q": "雪だるま注記"})}
    assert found == {catalogue.all_projects[0].key}
    match = "SELECT p.key FROM projects_fts JOIN projects p ON p.id = projects_fts.rowid WHERE projects_fts MATCH ?"
    assert {row[0] for row in db.execute(match, ('notes:"水素の件"',))} == {catalogue.all_projects[7].key}
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_database_part_is_packed_in_one_index_segment_with_fts5_defaults(catalogue):
    """Built in one pass (sqlite.py): no freed page to vacuum away, the search index in one
    segment (a second one would be a merge the notes' step must do), and no raised
    ``hashsize`` left for whoever writes to the database next; its index is whole."""
    db = sqlite3.connect(":memory:")
    db.deserialize(sqlite.database_without_notes(catalogue))
    assert db.execute("PRAGMA freelist_count").fetchone() == (0,)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert [k for (k,) in db.execute("SELECT k FROM projects_fts_config")] == ["version"]
    segments = (
        "SELECT count(DISTINCT id >> 37) FROM projects_fts_data WHERE id >= 1 << 37"  # a page's id: segment << 37
    )
    assert db.execute(segments).fetchone() == (1,)
    db.execute("INSERT INTO projects_fts(projects_fts) VALUES ('integrity-check')")
    first = catalogue.all_projects[0]
    match = "SELECT rowid FROM projects_fts WHERE projects_fts MATCH ?"
    assert 1 in {row[0] for row in db.execute(match, (f'name:"{first.name[:4]}"',))}


def test_a_large_database_part_is_packed_in_one_index_segment_too(catalogue):
    """3,160 projects (FY2022's forty times over, each copy's texts its own): a search index
    larger than FTS5's default in-memory hash (1 MB), which would flush it in several segments."""
    (year,) = catalogue.years
    copies = tuple(
        replace(p, id=f"{p.id}-{copy}", no=copy * len(year.projects) + p.no, description=f"{p.description} 写{copy}")
        for copy in range(40)
        for p in year.projects
    )
    large = Catalogue([replace(year, projects=copies)], catalogue.reference, notes=catalogue.notes)
    db = sqlite3.connect(":memory:")
    db.deserialize(sqlite.database_without_notes(large))
    index_bytes = db.execute("SELECT sum(length(block)) FROM projects_fts_data").fetchone()[0]
    assert index_bytes > 2 * 1024 * 1024  # the default hash would have flushed before the end
    segments = "SELECT count(DISTINCT id >> 37) FROM projects_fts_data WHERE id >= 1 << 37"
    assert db.execute(segments).fetchone() == (1,)
    assert db.execute("PRAGMA freelist_count").fetchone() == (0,)
    assert [k for (k,) in db.execute("SELECT k FROM projects_fts_config")] == ["version"]


def test_the_notes_added_to_the_workbook_show_in_their_column(catalogue):
    from openpyxl import load_workbook

    texts = note_texts(catalogue, 0)
    book = load_workbook(
        io.BytesIO(workbook.year_workbook(with_notes(catalogue, texts), catalogue.years[-1])), read_only=True
    )
    assert book.sheetnames == ["このファイルについて", "事業", "関係自治体", "都道府県別"]
    rows = list(book["事業"].iter_rows(values_only=True))
    assert rows[0][-1] == "編集部の注記"
    width = len(workbook.PROJECT_SHEET)  # read-only rows end at their last cell
    notes = [(*row, *[None] * width)[width - 1] for row in rows[1:]]
    shown = {p.key: note for p, note in zip(catalogue.years[-1].projects, notes, strict=True) if note}
    assert shown == {key: text.replace("\x07", "\ufffd") for key, text in texts.items()}


def test_the_partner_sheet_holds_every_mention_as_partners_csv_does(catalogue):
    from renkei_site.site.exports.rows import partner_rows

    year = catalogue.years[-1]
    sheet = list(workbook.partner_sheet_rows(catalogue, year))
    csv_rows = list(partner_rows(year))
    assert len(sheet) == len(csv_rows) > 0
    same = ("fiscal_year", "no", "lg_code", "pref_code", "surface", "qualifier", "via", "correction", "ambiguous")
    keys = [key for _, key, _ in workbook.PARTNER_SHEET]
    for row, csv_row in zip(sheet, csv_rows, strict=True):
        assert {k: row[keys.index(k)] for k in same} == {k: csv_row[k] for k in same}
        assert row[keys.index("role")] == workbook.ROLE_JA[csv_row["role"]]
        assert row[keys.index("kind")] == workbook.KIND_JA[csv_row["kind"]]


def one_cell(ref: str, value: object, style: int) -> str:
    """A cell as the writer wrote it one at a time before the batches (markupsafe's escape)."""
    if value is None or value == "":
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(escape(xlsx.ILLEGAL.sub("\ufffd", str(value))))
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


VALUES = st.one_of(
    st.text(alphabet=st.sampled_from(list("aあ&<>\"' =\n\t\x00\x07\x1f\ufffe\uffff{}0")), max_size=6),
    st.integers(-(10**6), 10**6),
    st.none(),
    st.booleans(),
)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 4).flatmap(lambda width: st.lists(st.lists(VALUES, min_size=width, max_size=width), max_size=30)))
def test_batched_cells_are_the_cells_written_one_at_a_time(rows):
    width = len(rows[0]) if rows else 1
    letters = [xlsx.column_letter(i) for i in range(width)]
    made = [xlsx.legal_bytes(cells).decode() for cells in xlsx.cells(letters, rows, 5)]
    expected = [
        "".join(one_cell(f"{c}{n}", v, xlsx.TEXT) for c, v in zip(letters, row, strict=True))
        for n, row in enumerate(rows, 5)
    ]
    assert made == expected


def test_a_row_of_another_width_is_refused():
    with pytest.raises(ValueError, match="not 2 cells"):
        list(xlsx.cells(["A", "B"], [("a", "b"), ("c",), ("d", "e", "f")]))
