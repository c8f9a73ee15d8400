"""The writer: never outside the output folder, never two pages on one file, atomic swap."""

from __future__ import annotations

import pytest

from renkei_site.site.write import WriteError, write_site


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        (["../evil.html"], "refusing to write outside the output folder"),
        (["/etc/passwd"], "refusing to write outside the output folder"),
        (["a/../../b.html"], "refusing to write outside the output folder"),
        (["a\\b.html"], "refusing to write outside the output folder"),
        (["a//b.html"], "page path is not normalised"),
        (["x/Index.html", "x/index.html"], "two pages map to one file"),
    ],
)
def test_writer_refuses_bad_paths_and_writes_nothing(tmp_path, paths, message):
    out = tmp_path / "_site"
    with pytest.raises(WriteError, match=message):
        write_site(dict.fromkeys(paths, b"x"), out)
    assert not out.exists() and not (tmp_path / "evil.html").exists()


def test_new_generation_swaps_in_and_keeps_unchanged_files(tmp_path):
    out = tmp_path / "_site"
    first = write_site({"index.html": b"one", "a/b.html": b"same"}, out)
    inode = (out / "a/b.html").stat().st_ino
    second = write_site({"index.html": b"two", "a/b.html": b"same"}, out)
    assert (first.written, second.written, second.linked) == (2, 1, 1)
    assert (out / "index.html").read_bytes() == b"two"
    assert (out / "a/b.html").stat().st_ino == inode  # not rewritten
    assert [p.name for p in (tmp_path / "_site.gens").iterdir()] == [second.generation]
    assert write_site({"index.html": b"two", "a/b.html": b"same"}, out).unchanged
