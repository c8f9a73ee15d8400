"""A build after an edit renders only the pages that read what changed (site/depends.py), and
its site is, file by file, the site a fresh full build of the same inputs makes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import generations_left
from test_faults import snapshot

from renkei_site import pipeline
from renkei_site.records import load_year
from renkei_site.resolve.reference import load_reference
from renkei_site.site.build import Session


def note_edit(data: Path, rng: random.Random, keys: dict[str, list[str]]) -> str:
    """Write, rewrite or remove one note of a random project, prefecture, municipality, bureau or field."""
    folder = rng.choice(sorted(keys))
    key = rng.choice(keys[folder])
    path = data / "notes" / folder / f"{key}.md"
    if path.exists() and rng.random() < 0.4:
        path.unlink()
        return f"removed note {folder}/{key}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"注記 {rng.randrange(10**6)}:**強調** と <b>タグ</b> & 記号\n", encoding="utf-8")
    return f"wrote note {folder}/{key}"


def page_edit(data: Path, rng: random.Random) -> str:
    """Rewrite a Markdown page's text (its title kept), or add, retitle or remove a page of its own."""
    extra = data / "pages" / "extra.md"
    choice = rng.choice(["text", "new", "title", "gone"])
    if choice == "text" or (choice in ("title", "gone") and not extra.exists()):
        about = data / "pages" / "about.md"
        about.write_text(about.read_text(encoding="utf-8") + f"\n追記 {rng.randrange(10**6)}。\n", encoding="utf-8")
        return "edited about.md's text"
    if choice == "gone":
        extra.unlink()
        return "removed extra.md"
    extra.write_text(f"# 追加ページ {rng.randrange(100)}\n\n本文 {rng.randrange(10**6)}。\n", encoding="utf-8")
    return f"{choice} extra.md"


def record_edit(data: Path, rng: random.Random, names: list[str]) -> str:
    """Rename a random project in data/2022/projects.yaml."""
    records = data / "2022" / "projects.yaml"
    name = rng.choice(names)
    text = records.read_text(encoding="utf-8")
    assert name in text
    records.write_text(text.replace(name, f"{name}(改{rng.randrange(1000)})", 1), encoding="utf-8")
    names.remove(name)
    return f"renamed {name}"


def wording_edit(data: Path, rng: random.Random) -> str:
    """Append to a random project's description (its wording: records.py FOLLOWED)."""
    records = data / "2022" / "projects.yaml"
    lines = records.read_text(encoding="utf-8").split("\n")
    plain = [n for n, line in enumerate(lines) if line.startswith("  description: ") and line[15:16] not in "'\"|>"]
    index = rng.choice(plain)
    lines[index] += f"(追記{rng.randrange(1000)})"
    records.write_text("\n".join(lines), encoding="utf-8")
    return f"appended to the description on line {index + 1}"


def overrides_edit(data: Path, rng: random.Random) -> str:
    overrides = data / "overrides.yaml"
    text = overrides.read_text(encoding="utf-8")
    overrides.write_text(
        text.replace("note: 原文の誤記", f"note: ({rng.randrange(1000)})原文の誤記", 1), encoding="utf-8"
    )
    return "edited an override's note"


@pytest.mark.parametrize("kept", [False, True], ids=["build", "session"])
def test_builds_after_random_edits_are_those_of_a_fresh_full_build(data_2022, tmp_path, kept):
    """``session``: as serve builds — one process, the renderer kept between builds, the HTML
    pages live first (site/build.py Session); with a base URL, so with feeds and previews."""
    rng = random.Random(2022 + kept)
    session = Session(first=lambda page: page.path.endswith(".html")) if kept else None
    reference = load_reference(data_2022)
    year = load_year(data_2022 / "2022" / "projects.yaml", reference)
    keys = {
        "projects": [p.key for p in year.projects],
        "prefectures": [p.slug for p in reference.prefectures],
        "municipalities": [  # some the list names, some it does not
            *sorted({m.code for p in year.projects for m in p.mentions if m.kind == "municipality"})[:6],
            *rng.sample(sorted(code for code, place in reference.places.items() if not place.is_prefecture), 6),
        ],
        "bureaus": sorted({reference.bureau_slug(p.bureau) for p in year.projects}),
        "fields": sorted({reference.field_slug(reference.canonical_field(p.field)) for p in year.projects}),
    }
    names = [p.name for p in year.projects if len(p.name) > 6]
    base_url = "https://example.org/renkei/" if kept else None
    out = tmp_path / "_site"
    first = pipeline.build(data_2022, out, base_url, session=session)
    assert first.rendered == len(snapshot(out)) - 1  # the first: every file (and the manifest)
    rounds = ["note", "wording", "page", "note", "record", "wording", "overrides", "page", "note"]
    if kept:
        rounds = ["note", "wording", "page", "record", "wording"]
    for number, kind in enumerate(rounds):
        edits = [note_edit(data_2022, rng, keys) for _ in range(rng.randint(1, 3))] if kind == "note" else []
        edits += [page_edit(data_2022, rng)] if kind == "page" else []
        edits += [record_edit(data_2022, rng, names)] if kind == "record" else []
        edits += [overrides_edit(data_2022, rng)] if kind == "overrides" else []
        edits += [wording_edit(data_2022, rng)] if kind == "wording" else []
        result = pipeline.build(data_2022, out, base_url, session=session)
        fresh = tmp_path / f"fresh-{number}"
        pipeline.build(data_2022, fresh, base_url)
        assert snapshot(out) == snapshot(fresh), edits
        if kind in ("note", "wording"):  # the note's or project's pages, the index, the downloads, feeds
            assert 0 < result.rendered < 200, (edits, result)
        left = generations_left(out)
        assert len(left) <= 2 and not any(name.endswith(".partial") for name in left)


def test_year_digests_are_kept_under_their_key_only(data_2022, tmp_path):
    """The digests of a year's projects are taken from data/.cache/ only under the key they were
    made with (the records file's bytes and the code); any other key makes them again."""
    from renkei_site import cache
    from renkei_site.site import depends

    reference = load_reference(data_2022)
    year = load_year(data_2022 / "2022" / "projects.yaml", reference)
    folder = tmp_path / "cache"
    made = depends.year_digests([year], {2022: "key-1"}, folder)[2022]
    assert set(made.atoms) == {f"project:{p.key}" for p in year.projects}
    planted = depends.YearDigests("planted", {})
    cache.store_pickle(folder / f"2022{depends.DIGESTS}", "key-1", planted)
    assert depends.year_digests([year], {2022: "key-1"}, folder)[2022] == planted  # kept: taken
    assert depends.year_digests([year], {2022: "key-2"}, folder)[2022] == made  # another key: made again
    assert depends.year_digests([year], {}, folder)[2022] == made  # no key: made, never taken
