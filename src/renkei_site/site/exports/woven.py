"""Files that carry the editors' notes, made in two steps so that a note edited costs only the
notes: the text of every row but its note, as the *segments* around the places where the notes
go (a part: parts.py keeps it between builds, and it reads no note), and the notes woven in
between them.  A full build and an incremental one run the same code (the part made, or taken
from the store, then woven), so they give the same bytes.

projects.csv and projects.json are made here; the search index (site/search.py) is woven the
same way.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterable
from itertools import chain

from ...model import Catalogue
from ...parts import Beside
from ...records import Year
from ..paths import year_file_path
from .rows import PROJECT_FIELDS, ValueText, json_template, notes_of, project_values

Segments = tuple[str, ...]  # n + 1 pieces of text, around the n pieces woven in
ROW_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # as rows.write_json encodes a row


def segments(start: str, rows: Iterable[tuple[str, str]], between: str, end: str) -> Segments:
    """The pieces of ``start head₁ ⟨1⟩ tail₁ between head₂ ⟨2⟩ tail₂ … end`` around each ⟨i⟩,
    for the (head, tail) of each row."""
    out: list[str] = []
    pending = start
    for head, tail in rows:
        out.append(pending + (between if out else "") + head)
        pending = tail
    out.append(pending + end)
    return tuple(out)


def weave(pieces: Segments, inserts: Iterable[str]) -> str:
    """The text of the segments with one insert between each two."""
    inserts = list(inserts)
    if len(inserts) != len(pieces) - 1:
        raise ValueError(f"{len(pieces)} segments take {len(pieces) - 1} inserts, not {len(inserts)}")
    woven = chain.from_iterable(zip(pieces, inserts, strict=False))  # one segment more than inserts
    return "".join(woven) + pieces[-1]


def json_split(row: dict[str, object], key: str, encoder: json.JSONEncoder) -> tuple[str, str]:
    """The text of ``row`` (the encoder sorts keys) cut where the member ``key`` goes: (the
    members before it, unclosed; the members after it, unopened).  Both sides have members."""
    check_cut(row, key)
    before = {name: value for name, value in row.items() if name < key}
    after = {name: value for name, value in row.items() if name > key}
    return encoder.encode(before)[:-1], encoder.encode(after)[1:]


def check_cut(row: dict[str, object], key: str) -> None:
    """Refuse a row the member ``key`` cannot be cut into: one that has it, or no member on one
    side of it (the separators around the member would differ)."""
    if not row or key in row or min(row) > key or max(row) < key:
        raise ValueError(f"{key!r} must sort between the row's keys and not be one of them")


MARK = "\x00renkei-site: a member goes here\x00"  # in no catalogue's text (rows_split checks)


def rows_split(rows: list[dict[str, object]], key: str, encoder: json.JSONEncoder) -> Segments:
    """The text of ``rows`` as a JSON array cut where each row's member ``key`` goes (json_split
    of each): the segments from "[" to "]" that ``segments("[", cuts, item separator, "]")``
    gives, made by one encode of the array, not one per row (a row marked where its member goes,
    the text split at the marks; a row each encoded alone only if the data held the mark)."""
    for row in rows:
        check_cut(row, key)
    mark = json_member(key, MARK, encoder)
    pieces = encoder.encode([{**row, key: MARK} for row in rows]).split(mark)
    if len(pieces) == len(rows) + 1:
        return tuple(pieces)
    cuts = (json_split(row, key, encoder) for row in rows)
    return segments("[", cuts, encoder.item_separator, "]")


def json_member(key: str, value: object, encoder: json.JSONEncoder) -> str:
    """What goes into a row cut by json_split: the member ``key`` with its separators."""
    separator = encoder.item_separator
    return f"{separator}{encoder.encode(key)}{encoder.key_separator}{encoder.encode(value)}{separator}"


class _Lines(list):
    """A file for csv.writer that keeps each row's line (the writer writes a row at once)."""

    write = list.append


def csv_lines(rows: Iterable[Iterable[object]]) -> list[str]:
    """Each row's CSV line, as rows.write_csv writes it (with its line end)."""
    lines = _Lines()
    csv.writer(lines, lineterminator="\n").writerows(rows)
    return lines


def csv_cell(text: str) -> str:
    """A last cell of a row, as write_csv writes it ("" for none: a row has other cells)."""
    return csv_lines([[text]])[0][:-1] if text else ""


def projects_csv_part(year: Year) -> Segments:
    """projects.csv around its notes: every project's cells but the last, the note."""
    values = [project_values(p) for p in year.projects]
    header = "\ufeff" + csv_lines([PROJECT_FIELDS])[0]
    return segments(header, ((line[:-1] + ",", "\n") for line in csv_lines(values)), "", "")


def projects_json_part(year: Year) -> Segments:
    """projects.json around its notes: each record cut where the note's text goes (NUL marks
    the cut: a JSON text holds no raw NUL)."""
    if not year.projects:
        return ("[]\n",)
    template, text_of = json_template(PROJECT_FIELDS), ValueText().__getitem__
    cut = (template.format(*map(text_of, project_values(p)), "\0").split("\0") for p in year.projects)
    return segments("[\n", cut, ",\n", "\n]\n")


def projects_csv(cat: Catalogue, year: Year | None) -> bytes:
    name = "projects.csv"
    inserts = map(csv_cell, notes_of(cat, year.projects))
    return woven_file(cat, year_file_path(year.fiscal_year, name), lambda: projects_csv_part(year), inserts)


def projects_json(cat: Catalogue, year: Year | None) -> bytes:
    name = "projects.json"
    inserts = map(ROW_JSON.encode, notes_of(cat, year.projects))
    return woven_file(cat, year_file_path(year.fiscal_year, name), lambda: projects_json_part(year), inserts)


def woven_file(cat: Catalogue, site_path: str, make: Callable[[], Segments], inserts: Iterable[str]) -> bytes:
    """The file at ``site_path``: ``inserts`` woven into the segments ``make`` makes, in UTF-8.
    The segments are a part (parts.py), kept as where they are in the file they became: the
    lengths of the segments and of the inserts between them (a note edited: the file of the
    last build cut up again, not 6–10 MB more written to the build cache in each build)."""
    inserts = list(inserts)
    kept_as = Beside("woven", lambda part, _: (tuple(map(len, part)), tuple(map(len, inserts))), cut_up, text_digest)
    return cat.parts.made_beside(site_path, site_path, make, lambda part: weave(part, inserts).encode(), kept_as)


def cut_up(data, lengths: tuple[tuple[int, ...], tuple[int, ...]]) -> Segments:
    """The segments of the UTF-8 text ``data`` of these lengths, the inserts' lengths between them."""
    pieces, inserts = lengths
    text = str(data, "utf-8")  # bytes or a mapped file
    if len(pieces) != len(inserts) + 1 or len(text) != sum(pieces) + sum(inserts):
        raise ValueError("not the lengths of this text")
    out, at = [], 0
    for piece, insert in zip(pieces, (*inserts, 0), strict=True):
        out.append(text[at : at + piece])
        at += piece + insert
    return tuple(out)


def text_digest(pieces: Segments) -> str:
    """A digest of the segments, each with its length (no two tuples of pieces share one)."""
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(b"%d:" % len(piece))
        digest.update(piece.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
