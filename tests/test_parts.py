"""parts.py: a kept part is taken only under its key, replays what it read, and reads no note."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renkei_site import reads
from renkei_site.parts import BLOCK, NO_PARTS, PartReadNote, Parts, differing_blocks, patched


def counting_maker(value, atoms=()):
    calls = []

    def make():
        calls.append(1)
        for atom in atoms:
            reads.read(atom)
        return value

    return make, calls


def test_a_part_is_made_once_per_key_and_replays_its_reads(tmp_path):
    make, calls = counting_maker(b"rows", ["project:2022/001", "project:2022/002"])
    parts = Parts(tmp_path / "parts", "key-1")
    with reads.recording() as first:
        assert parts.made("sheet", make) == b"rows"
    with reads.recording() as second:
        assert Parts(tmp_path / "parts", "key-1").made("sheet", make) == b"rows"
    assert calls == [1]
    assert first == second == {"project:2022/001", "project:2022/002"}
    assert Parts(tmp_path / "parts", "key-2").made("sheet", make) == b"rows"
    assert calls == [1, 1]  # another key: made again


def test_parts_of_other_names_do_not_mix(tmp_path):
    parts = Parts(tmp_path / "parts", "k")
    assert parts.made("a", lambda: "A") == "A"
    assert parts.made("b", lambda: "B") == "B"
    assert parts.made("a", lambda: "not this") == "A"


def test_a_part_that_reads_a_note_is_refused(tmp_path):
    make, _ = counting_maker(b"x", ["project:2022/001", reads.note_atom("project", "2022/001")])
    with pytest.raises(PartReadNote, match="note:project/2022/001"):
        Parts(tmp_path / "parts", "k").made("sheet", make)
    with pytest.raises(PartReadNote):
        NO_PARTS.made("sheet", make)  # the rule holds where nothing is kept too
    assert not (tmp_path / "parts").exists() or not any((tmp_path / "parts").iterdir())


def test_no_folder_keeps_nothing():
    make, calls = counting_maker(1)
    assert NO_PARTS.made("n", make) == NO_PARTS.made("n", make) == 1
    assert calls == [1, 1]


def test_tidy_removes_only_other_keys(tmp_path):
    old, new = Parts(tmp_path / "parts", "old"), Parts(tmp_path / "parts", "new")
    old.made("a", lambda: 1)
    new.made("a", lambda: 2)
    new.tidy()
    assert len(list((tmp_path / "parts").iterdir())) == 1
    assert new.made("a", lambda: 3) == 2
    assert old.made("a", lambda: 4) == 4  # removed: made again


def test_a_damaged_part_is_made_again(tmp_path):
    parts = Parts(tmp_path / "parts", "k")
    parts.made("a", lambda: "first")
    for path in (tmp_path / "parts").iterdir():
        path.write_bytes(b"\x80garbage")
    assert parts.made("a", lambda: "again") == "again"


def in_place_part(blocks=6):
    """A part of ``blocks`` blocks, and what its notes make of it: one block changed, one added."""
    part = b"".join(bytes([n]) * BLOCK for n in range(blocks))
    return part, lambda made: made[:BLOCK] + b"N" * BLOCK + made[2 * BLOCK :] + b"tail"


def test_a_part_kept_in_place_is_only_its_changed_blocks_and_comes_back_from_the_site(tmp_path):
    part, finish = in_place_part()
    make, calls = counting_maker(part, ["project:2022/001"])
    site = tmp_path / "site"
    parts = Parts(tmp_path / "parts", "k", site=site)
    final = parts.made_in_place("db", "downloads/db", make, finish)
    assert final == finish(part) and calls == [1]
    stored = [p.stat().st_size for p in (tmp_path / "parts").iterdir()]
    assert len(stored) == 1 and stored[0] < 2 * BLOCK  # one block of the part, not the part
    (site / "downloads").mkdir(parents=True)
    (site / "downloads" / "db").write_bytes(final)
    with reads.recording() as replayed:
        again = Parts(tmp_path / "parts", "k", site=site).made_in_place("db", "downloads/db", make, finish)
    assert again == final and calls == [1]
    assert replayed == {"project:2022/001"}
    changed = lambda made: made + b"another note"  # noqa: E731
    assert parts.made_in_place("db", "downloads/db", make, changed) == part + b"another note"
    assert calls == [1]  # the part came back from the site's file, then the notes changed


def test_a_part_kept_in_place_is_made_again_when_the_site_file_is_not_what_it_became(tmp_path):
    part, finish = in_place_part()
    make, calls = counting_maker(part)
    site = tmp_path / "site"
    parts = Parts(tmp_path / "parts", "k", site=site)
    final = parts.made_in_place("db", "db", make, finish)
    site.mkdir()
    (site / "db").write_bytes(final[:-1] + b"X")  # changed by hand
    assert parts.made_in_place("db", "db", make, finish) == final
    (site / "db").unlink()  # gone
    assert parts.made_in_place("db", "db", make, finish) == final
    assert calls == [1, 1, 1]
    assert Parts(tmp_path / "parts", "k").made_in_place("db", "db", make, finish) == final  # no site
    assert calls == [1, 1, 1, 1]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=5 * BLOCK), st.data())
def test_patched_gives_back_any_part_from_any_file_it_became(part, data):
    became = data.draw(st.binary(max_size=5 * BLOCK))
    if data.draw(st.booleans()):  # mostly the same bytes, as a database with notes put in is
        edits = data.draw(st.lists(st.tuples(st.integers(0, max(len(part), 1)), st.binary(max_size=50)), max_size=4))
        became = bytearray(part)
        for at, text in edits:
            became[at : at + len(text)] = text
        became = bytes(became) + data.draw(st.binary(max_size=BLOCK))
    blocks = differing_blocks(part, became)
    assert patched(became, len(part), blocks) == part
    same = sum(part[s : s + BLOCK] == became[s : s + BLOCK] for s in range(0, len(part), BLOCK))
    assert len(blocks) == -(-len(part) // BLOCK) - same  # only the blocks that differ are kept
