"""catalogue.sqlite: every year in one SQLite database for Datasette (or any SQLite client).

Tables for years, projects, mentions, places, groups and their members, how each project
involves each prefecture, and the changes between years, tied by foreign keys; an FTS5 index
(trigram tokenizer: Japanese has no spaces between words) over names, descriptions, remarks,
partner cells and editors' notes; views for the common questions.

Made in two steps, in memory: the database with every project's ``notes`` empty (a *part*,
parts.py: kept between builds, so a note edited does not make it again), then the notes put
into it with their rows of the search index.  A full build and a build after a note edit take
the same two steps, so they give the same bytes; the same catalogue gives the same bytes (a
fixed page size, rows in a fixed order, no timestamp).

Where the time goes at 10,000 projects (about 240,000 involvement rows, 97,000 mentions): the
rows are inserted many to a statement (a third less than one ``executemany`` call a row) into
tables without their secondary indexes, which are made afterwards from the sorted rows; the two
tables keyed by a pair (involvement, group_members) are WITHOUT ROWID, their rows stored in the
key's own b-tree (no second index to keep: a tenth smaller, and quicker to fill).  The search
index is built in one pass held in memory (FTS5's ``hashsize`` raised for the ``rebuild``, then
put back): one segment, so nothing to merge and no freed pages to VACUUM away (0.3 s less than
building it in 1 MB segments, merging them and vacuuming), and putting the notes in takes them
with no merging (0.2 s for 200 notes at 10,000 projects, not 0.5 s).
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable

from ...model import Catalogue
from ...records import Year
from ..paths import site_file_path
from .rows import notes_of
from .sqlite_rows import ROWS

SITE_PATH = site_file_path("catalogue.sqlite")  # where the build writes it (downloads.py)
SCHEMA_VERSION = 2  # 2: involvement and group_members WITHOUT ROWID
PAGE_SIZE = 4096
TEXT_INDEXED = ("name", "description", "remarks", "notes", "partners_current", "partners_past")

SCHEMA = """
CREATE TABLE years (
  fiscal_year INTEGER PRIMARY KEY,
  as_of TEXT,
  title TEXT NOT NULL,
  source_file TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  projects INTEGER NOT NULL
);
CREATE TABLE places (
  code TEXT PRIMARY KEY,
  pref_code TEXT NOT NULL,
  prefecture_code TEXT NOT NULL REFERENCES places(code),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  full_name TEXT NOT NULL,
  gun TEXT NOT NULL,
  parent_code TEXT REFERENCES places(code),
  kana TEXT NOT NULL,
  romaji TEXT NOT NULL,
  designated INTEGER NOT NULL,
  lat REAL,
  lon REAL
);
CREATE TABLE groups (
  label TEXT PRIMARY KEY,
  slug TEXT NOT NULL,
  description TEXT NOT NULL
);
CREATE TABLE group_members (
  group_label TEXT NOT NULL REFERENCES groups(label),
  place_code TEXT NOT NULL REFERENCES places(code),
  PRIMARY KEY (group_label, place_code)
) WITHOUT ROWID;
CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  fiscal_year INTEGER NOT NULL REFERENCES years(fiscal_year),
  no INTEGER NOT NULL,
  bureau TEXT NOT NULL,
  bureau_slug TEXT NOT NULL,
  field TEXT NOT NULL,
  status TEXT NOT NULL,
  name TEXT NOT NULL,
  kana TEXT NOT NULL,
  romaji TEXT NOT NULL,
  partners_current TEXT NOT NULL,
  partners_past TEXT NOT NULL,
  description TEXT NOT NULL,
  remarks TEXT NOT NULL,
  notes TEXT NOT NULL,
  previous_key TEXT REFERENCES projects(key),
  source TEXT NOT NULL
);
CREATE TABLE mentions (
  id INTEGER PRIMARY KEY,
  project_key TEXT NOT NULL REFERENCES projects(key),
  position INTEGER NOT NULL,
  role TEXT NOT NULL,
  cell TEXT NOT NULL,
  kind TEXT NOT NULL,
  surface TEXT NOT NULL,
  name TEXT NOT NULL,
  code TEXT REFERENCES places(code),
  pref_code TEXT NOT NULL,
  group_label TEXT REFERENCES groups(label),
  qualifier TEXT NOT NULL,
  via TEXT NOT NULL,
  correction TEXT NOT NULL,
  candidates TEXT NOT NULL
);
CREATE TABLE involvement (
  project_key TEXT NOT NULL REFERENCES projects(key),
  fiscal_year INTEGER NOT NULL REFERENCES years(fiscal_year),
  prefecture_code TEXT NOT NULL REFERENCES places(code),
  how TEXT NOT NULL,
  current INTEGER NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (project_key, prefecture_code)
) WITHOUT ROWID;
CREATE TABLE changes (
  id INTEGER PRIMARY KEY,
  fiscal_year INTEGER NOT NULL REFERENCES years(fiscal_year),
  previous_year INTEGER NOT NULL REFERENCES years(fiscal_year),
  change TEXT NOT NULL,
  project_key TEXT REFERENCES projects(key),
  previous_key TEXT REFERENCES projects(key),
  name TEXT NOT NULL,
  item TEXT NOT NULL,
  item_label TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  partner TEXT NOT NULL,
  partner_code TEXT
);
CREATE VIRTUAL TABLE projects_fts USING fts5(
  name, description, remarks, notes, partners_current, partners_past,
  content="projects", content_rowid="id", tokenize="trigram"
);
"""

INDEXES = """
CREATE INDEX mentions_project ON mentions(project_key);
CREATE INDEX mentions_code ON mentions(code);
CREATE INDEX involvement_prefecture ON involvement(prefecture_code, fiscal_year);
"""

VIEWS = """
CREATE VIEW prefecture_counts AS
SELECT y.fiscal_year, pl.pref_code, pl.name AS prefecture,
  count(CASE WHEN i.how = 'named' THEN 1 END) AS named,
  count(CASE WHEN i.how = 'group' THEN 1 END) AS through_groups,
  count(CASE WHEN i.how = 'past' THEN 1 END) AS past,
  count(CASE WHEN i.how = 'remarks' THEN 1 END) AS remarks,
  count(CASE WHEN i.current THEN 1 END) AS current,
  count(i.how) AS total
FROM years y CROSS JOIN places pl
LEFT JOIN involvement i ON i.fiscal_year = y.fiscal_year AND i.prefecture_code = pl.code
WHERE pl.kind = 'prefecture'
GROUP BY y.fiscal_year, pl.code ORDER BY y.fiscal_year, pl.code;
CREATE VIEW prefectures_never_named AS
SELECT pref_code, prefecture, sum(through_groups) AS through_groups, sum(past) AS past, sum(remarks) AS remarks
FROM prefecture_counts GROUP BY pref_code HAVING sum(named) = 0 ORDER BY pref_code;
CREATE VIEW field_counts AS
SELECT fiscal_year, field, count(*) AS projects,
  count(CASE WHEN status = '新規' THEN 1 END) AS new,
  count(CASE WHEN status = '継続' THEN 1 END) AS continuing
FROM projects GROUP BY fiscal_year, field ORDER BY fiscal_year, projects DESC, field;
CREATE VIEW bureau_counts AS
SELECT fiscal_year, bureau, bureau_slug, count(*) AS projects
FROM projects GROUP BY fiscal_year, bureau ORDER BY fiscal_year, projects DESC, bureau;
CREATE VIEW municipality_counts AS
SELECT p.fiscal_year, pl.code, pl.full_name, pl.pref_code,
  count(DISTINCT CASE WHEN m.role = 'current' THEN p.key END) AS current,
  count(DISTINCT CASE WHEN m.role = 'past' THEN p.key END) AS past,
  count(DISTINCT CASE WHEN m.role = 'remarks' THEN p.key END) AS remarks
FROM mentions m JOIN projects p ON p.key = m.project_key JOIN places pl ON pl.code = m.code
WHERE pl.kind <> 'prefecture'
GROUP BY p.fiscal_year, pl.code ORDER BY p.fiscal_year, pl.code;
CREATE VIEW project_partners AS
SELECT p.fiscal_year, p.no, p.key AS project_key, p.name AS project, m.role, m.kind,
  coalesce(pl.full_name, m.name, m.surface) AS partner, m.code, m.pref_code, m.qualifier
FROM mentions m JOIN projects p ON p.key = m.project_key LEFT JOIN places pl ON pl.code = m.code
WHERE m.kind NOT IN ('none', 'text')
ORDER BY p.fiscal_year, p.no, m.position;
"""


MAX_VARIABLES = 999  # bound values per statement: SQLite's limit before 3.32, safe everywhere
FTS_COLUMNS = ", ".join(TEXT_INDEXED)
FTS_DELETE = (  # an external-content FTS5 row is removed by giving the values it was made from
    f"INSERT INTO projects_fts(projects_fts, rowid, {FTS_COLUMNS}) "
    f"SELECT 'delete', id, {FTS_COLUMNS} FROM projects WHERE id = ?"
)
FTS_INSERT = f"INSERT INTO projects_fts(rowid, {FTS_COLUMNS}) SELECT id, {FTS_COLUMNS} FROM projects WHERE id = ?"
ONE_PASS = 1 << 30  # bytes FTS5 may hold in memory while it builds the index: all of it, in one segment


def insert(db: sqlite3.Connection, table: str, rows: Iterable[tuple]) -> None:
    """Insert ``rows`` in order, as many to a statement as SQLite takes."""
    rows = list(rows)
    if not rows:
        return
    width = len(rows[0])
    one = "(" + ", ".join("?" * width) + ")"
    per = MAX_VARIABLES // width
    whole = len(rows) - len(rows) % per
    if whole:
        many = f"INSERT INTO {table} VALUES " + ", ".join([one] * per)
        for start in range(0, whole, per):
            db.execute(many, list(itertools.chain.from_iterable(rows[start : start + per])))
    if whole < len(rows):
        db.executemany(f"INSERT INTO {table} VALUES {one}", rows[whole:])


def fill(db: sqlite3.Connection, cat: Catalogue) -> None:
    """Schema, rows, indexes, the search index and the views, in one transaction (the foreign
    keys are checked once, at the end: database_without_notes)."""
    db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.execute("BEGIN")
    for statement in statements(SCHEMA):
        db.execute(statement)
    for table, rows in ROWS.items():
        insert(db, table, rows(cat))
    for statement in statements(INDEXES):  # after the rows: an index made from them is sorted once
        db.execute(statement)
    db.execute(f"INSERT INTO projects_fts(projects_fts, rank) VALUES ('hashsize', {ONE_PASS})")
    db.execute("INSERT INTO projects_fts(projects_fts) VALUES ('rebuild')")  # one segment: see the docstring
    db.execute("DELETE FROM projects_fts_config WHERE k = 'hashsize'")  # FTS5's default for everyone else
    for statement in statements(VIEWS):
        db.execute(statement)
    db.execute("COMMIT")


def statements(script: str) -> list[str]:
    """The statements of a script of ours (none has a ; inside)."""
    return [s.strip() for s in script.split(";") if s.strip()]


def database_without_notes(cat: Catalogue) -> bytes:
    """The database's bytes with every project's notes empty: made in memory and checked."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        fill(db, cat)
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise ValueError(f"catalogue.sqlite: foreign keys point nowhere: {problems[:5]}")
        return db.serialize()
    finally:
        db.close()


def project_notes(cat: Catalogue) -> list[tuple[int, str]]:
    """(the project's row id, its note) for every project with a note, in row order."""
    return [(number, note) for number, note in enumerate(notes_of(cat, cat.all_projects), 1) if note]


def with_notes(database: bytes, notes: list[tuple[int, str]]) -> bytes:
    """``database`` with each project's note and its row of the search index put in."""
    if not notes:
        return database
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        db.deserialize(database)
        ids = [(number,) for number, _ in notes]
        db.execute("BEGIN")
        db.executemany(FTS_DELETE, ids)
        db.executemany("UPDATE projects SET notes = ? WHERE id = ?", [(note, number) for number, note in notes])
        db.executemany(FTS_INSERT, ids)
        db.execute("COMMIT")
        return db.serialize()
    finally:
        db.close()


def catalogue_sqlite(cat: Catalogue, year: Year | None = None) -> bytes:
    """The database's bytes: the part without notes (kept between builds as the pages the notes
    changed: parts.py ``made_in_place``), the notes put in."""
    notes = project_notes(cat)
    return cat.parts.made_in_place(
        "catalogue.sqlite", SITE_PATH, lambda: database_without_notes(cat), lambda part: with_notes(part, notes)
    )
