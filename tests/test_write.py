"""The writer: never outside the output folder, never two pages on one file, atomic swap."""

from __future__ import annotations

from pathlib import Path

import pytest

from renkei_site.site.write import SiteWriter, WriteError, ready_spare, write_site


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
    assert sorted(p.name for p in (tmp_path / "_site.gens").iterdir()) == [first.generation, second.generation]
    assert write_site({"index.html": b"two", "a/b.html": b"same"}, out).unchanged


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_spare_generation_is_brought_up_to_date_without_touching_the_live_one(tmp_path):
    """Build 3 reuses build 1's folder: only what differs from it is written, nothing is written
    into a file the live site shares, and files and folders the new site lacks are gone."""
    out = tmp_path / "_site"
    versions = [
        {"index.html": b"one", "a/b.html": b"same", "old/gone.html": b"x", "c.html": b"c1"},
        {"index.html": b"two", "a/b.html": b"same", "old/gone.html": b"x", "c.html": b"c2"},
        {"index.html": b"three", "a/b.html": b"same", "c.html": b"c2", "new/d.html": b"d"},
    ]
    reports = [write_site(pages, out) for pages in versions[:2]]
    live = out.resolve()
    live_before = tree(live)
    inode = (out / "a/b.html").stat().st_ino
    third = write_site(versions[2], out)
    assert tree(out.resolve()) == {**versions[2], ".manifest.json": tree(out.resolve())[".manifest.json"]}
    assert tree(live) == live_before  # the site before, now the spare, is as it was
    assert (out / "a/b.html").stat().st_ino == inode and (out / "c.html").stat().st_ino == (
        live / "c.html"
    ).stat().st_ino
    assert (third.written, third.linked, third.removed) == (2, 2, 1)
    assert not (out.resolve() / "old").exists()  # the folder a removed file left empty
    gens = sorted(p.name for p in (tmp_path / "_site.gens").iterdir())
    assert gens == sorted([reports[1].generation, third.generation])


def test_a_failed_update_of_the_spare_keeps_the_live_site(tmp_path):
    out = tmp_path / "_site"
    write_site({"index.html": b"one"}, out)
    write_site({"index.html": b"two"}, out)
    before = tree(out)
    with pytest.raises(WriteError), SiteWriter(out) as writer:
        writer.add("index.html", b"three")
        writer.add("../x", b"bad")
    assert tree(out) == before
    assert [p.name for p in (tmp_path / "_site.gens").iterdir()] == [out.resolve().name]  # the spare went with it
    assert write_site({"index.html": b"three"}, out).written == 1 and (out / "index.html").read_bytes() == b"three"


def test_a_site_built_once_gets_a_spare_of_links_and_the_next_build_writes_only_what_changed(tmp_path):
    """ready_spare (serve, after its first build): every file of the live site linked into a
    complete generation of its own; the next build then takes it as its spare, writes the one
    changed file beside the linked one, and leaves the live site's files as they were."""
    out = tmp_path / "_site"
    pages = {"index.html": b"one", "a/b.html": b"same", "a/c/d.html": b"deep"}
    first = write_site(pages, out)
    live = out.resolve()
    made = ready_spare(out)
    assert made is not None and made != first.generation
    spare = tmp_path / "_site.gens" / made
    assert tree(spare) == tree(live)  # the manifest too
    assert all((spare / path).stat().st_ino == (live / path).stat().st_ino for path in pages)
    assert ready_spare(out) is None  # one spare is enough
    live_before, spare_folder = tree(live), spare.stat().st_ino
    second = write_site({**pages, "index.html": b"two"}, out)
    assert out.resolve().stat().st_ino == spare_folder  # the spare, renamed, brought up to date, is live
    assert (out / "index.html").read_bytes() == b"two"
    assert (second.written, second.linked) == (1, 2)
    assert (out / "a/c/d.html").stat().st_ino == (live / "a/c/d.html").stat().st_ino
    assert tree(live) == live_before  # the site before, now the spare
    assert (out / "index.html").stat().st_ino != (live / "index.html").stat().st_ino


def test_no_spare_is_made_for_no_site_or_one_that_has_one(tmp_path):
    out = tmp_path / "_site"
    assert ready_spare(out) is None
    out.mkdir()
    (out / "index.html").write_bytes(b"a plain folder")
    assert ready_spare(out) is None and not (tmp_path / "_site.gens").exists()
    other = tmp_path / "built"
    write_site({"index.html": b"1"}, other)
    write_site({"index.html": b"2"}, other)  # the first generation is the spare already
    assert ready_spare(other) is None
    assert len(list((tmp_path / "built.gens").iterdir())) == 2
