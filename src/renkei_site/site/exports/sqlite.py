"""catalogue.sqlite: every year in one SQLite database for Datasette (or any SQLite client).

Tables for years, projects, mentions, places, groups and their members, how each project
involves each prefecture, and the changes between years, tied by foreign keys; an FTS5 index
(trigram tokenizer: Japanese has no spaces between words) over names, descriptions, remarks,
partner cells and editors' notes; views for the common questions.  The same catalogue gives
the same bytes: the file is built fresh with a fixed page size, rows in a fixed order, no
timestamp, and VACUUMed.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ...model import Catalogue
from ...records import Project, Year
from .changes import change_rows

SCHEMA_VERSION = 1
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
);
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
CREATE INDEX mentions_project ON mentions(project_key);
CREATE INDEX mentions_code ON mentions(code);
CREATE TABLE involvement (
  project_key TEXT NOT NULL REFERENCES projects(key),
  fiscal_year INTEGER NOT NULL REFERENCES years(fiscal_year),
  prefecture_code TEXT NOT NULL REFERENCES places(code),
  how TEXT NOT NULL,
  current INTEGER NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (project_key, prefecture_code)
);
CREATE INDEX involvement_prefecture ON involvement(prefecture_code, fiscal_year);
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


def null(value: str) -> str | None:
    """ "" as NULL: a foreign key that points nowhere is NULL, not an empty string."""
    return value or None


def year_rows(cat: Catalogue) -> Iterator[tuple]:
    for year in cat.years:
        source = year.source
        yield (year.fiscal_year, year.as_of, year.title, source.get("file", ""), source.get("sha256", ""),
               len(year.projects))  # fmt: skip


def place_rows(cat: Catalogue) -> Iterator[tuple]:
    ref = cat.reference
    for code in sorted(ref.places):
        p = ref.places[code]
        prefecture = ref.prefecture_by_code[p.pref_code].code
        yield (p.code, p.pref_code, prefecture, p.kind, p.name, ref.full_name(p), p.gun, null(p.parent_code),
               p.kana, p.romaji, int(p.designated), p.lat, p.lon)  # fmt: skip


def group_rows(cat: Catalogue) -> Iterator[tuple]:
    for label in sorted(cat.reference.groups):
        group = cat.reference.groups[label]
        yield (group.label, group.slug, group.description)


def member_rows(cat: Catalogue) -> Iterator[tuple]:
    for label in sorted(cat.reference.groups):
        for code in sorted(set(cat.reference.groups[label].members)):
            yield (label, code)


def project_row(cat: Catalogue, number: int, p: Project) -> tuple:
    previous = cat.predecessor.get(p.key)
    slug = cat.reference.bureau_slug(p.bureau) if cat.reference.bureau_entry(p.bureau) else ""
    return (number, p.key, p.fiscal_year, p.no, p.bureau, slug, p.field, p.status, p.name, p.kana, p.romaji,
            p.partners_current, p.partners_past, p.description, p.remarks, cat.notes.source("project", p.key),
            previous.key if previous else None, str(p.source))  # fmt: skip


def project_rows(cat: Catalogue) -> Iterator[tuple]:
    for number, project in enumerate(cat.all_projects, 1):
        yield project_row(cat, number, project)


def mention_rows(cat: Catalogue) -> Iterator[tuple]:
    places, groups = cat.reference.places, cat.reference.groups
    number = 0
    for project in cat.all_projects:
        for position, m in enumerate(project.mentions, 1):
            number += 1
            code = m.code if m.code in places else None
            group = m.name if m.kind == "group" and m.name in groups else None
            yield (number, project.key, position, m.role, m.column, m.kind, m.surface, m.name, code, m.pref_code,
                   group, m.qualifier, m.via, m.correction, " ".join(m.candidates))  # fmt: skip


def involvement_rows(cat: Catalogue) -> Iterator[tuple]:
    prefectures = cat.reference.prefecture_by_code
    for project in cat.all_projects:
        involvement = cat.involvement(project)
        for pref in sorted(code for code in involvement if code in prefectures):
            inv = involvement[pref]
            yield (project.key, project.fiscal_year, prefectures[pref].code, inv.how, int(inv.current),
                   "、".join(inv.detail))  # fmt: skip


def change_table_rows(cat: Catalogue) -> Iterator[tuple]:
    keys = {(p.fiscal_year, p.id) for p in cat.all_projects}
    number = 0
    for fiscal_year in sorted(cat.diffs):
        diff = cat.diffs[fiscal_year]
        for row in change_rows(diff):
            number += 1
            new = (diff.new_year, row.get("id", ""))
            old = (diff.old_year, row.get("previous_id", ""))
            yield (number, diff.new_year, diff.old_year, row["change"],
                   f"{new[0]}/{new[1]}" if new in keys else None, f"{old[0]}/{old[1]}" if old in keys else None,
                   row.get("name", ""), row.get("item", ""), row.get("item_label", ""), row.get("before", ""),
                   row.get("after", ""), row.get("partner", ""), null(str(row.get("partner_code", ""))))  # fmt: skip


ROWS = {
    "years": year_rows,
    "places": place_rows,
    "groups": group_rows,
    "group_members": member_rows,
    "projects": project_rows,
    "mentions": mention_rows,
    "involvement": involvement_rows,
    "changes": change_table_rows,
}


def insert(db: sqlite3.Connection, table: str, rows: Iterable[tuple]) -> None:
    rows = list(rows)
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def fill(db: sqlite3.Connection, cat: Catalogue) -> None:
    """Schema, rows, the search index and the views, in one transaction (the foreign keys are
    checked once, at the end: catalogue_sqlite)."""
    db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.execute("PRAGMA journal_mode = MEMORY")  # a scratch file: no journal on disk, no syncing
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    for statement in statements(SCHEMA):
        db.execute(statement)
    for table, rows in ROWS.items():
        insert(db, table, rows(cat))
    db.execute("INSERT INTO projects_fts(projects_fts) VALUES ('rebuild')")
    db.execute("INSERT INTO projects_fts(projects_fts) VALUES ('optimize')")
    for statement in statements(VIEWS):
        db.execute(statement)
    db.execute("COMMIT")


def statements(script: str) -> list[str]:
    """The statements of a script of ours (none has a ; inside)."""
    return [s.strip() for s in script.split(";") if s.strip()]


def catalogue_sqlite(cat: Catalogue, year: Year | None = None) -> bytes:
    """The database's bytes: built in a fresh file, checked, VACUUMed, read back."""
    with tempfile.TemporaryDirectory(prefix="renkei-site-sqlite-") as folder:
        path = Path(folder) / "catalogue.sqlite"
        db = sqlite3.connect(path, isolation_level=None)
        try:
            fill(db, cat)
            problems = db.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise ValueError(f"catalogue.sqlite: foreign keys point nowhere: {problems[:5]}")
            db.execute("VACUUM")
        finally:
            db.close()
        return path.read_bytes()
