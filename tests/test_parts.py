"""parts.py: a kept part is taken only under its key, replays what it read, and reads no note."""

from __future__ import annotations

import pytest

from renkei_site import reads
from renkei_site.parts import NO_PARTS, PartReadNote, Parts


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
