"""The editors' tables have declared shapes: every mistake is one located line, all at once,
exit 1 and nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DATA

from renkei_site.cli import main
from renkei_site.errors import InputError
from renkei_site.resolve.reference import read_reference


@pytest.fixture
def tables(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("20[0-9][0-9]", ".cache"))
    return target


def edit(data: Path, name: str, old: str, new: str) -> int:
    """Replace text in a table; return the (1-based) line the new text starts on."""
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text[:at].count("\n") + 1 + (new[:1] == "\n")


def problems(data: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_reference(data, "test")
    return [str(p) for p in caught.value.problems]


MISTAKES = [
    (
        "groups.yaml",
        "members: all_prefectures_but_tokyo",
        "members: all_prefectures_but_tokio",
        "unknown member set all_prefectures_but_tokio (one of: all_prefectures, all_prefectures_but_tokyo, ",
    ),
    (
        "groups.yaml",
        "members: [岩手県, 宮城県, 福島県]",
        "members: [岩手県, 宮城県, 架空県]",
        "member '架空県' is no place in data/reference/municipalities.csv",
    ),
    (
        "groups.yaml",
        "aliases: [被災3県]",
        "alias: [被災3県]",
        "unknown key 'alias' in a group entry (did you mean aliases?)",
    ),
    ("bureaus.yaml", "names: [{name: 総務局}]", "names: 総務局", "names must be list[mapping], not '総務局'"),
    ("bureaus.yaml", "somu\n  names: [{name: 総務局}]", "somu", "a bureau entry needs 'names'"),
    ("bureaus.yaml", "slug: shuzei", "slug: somu", "bureau slug 'somu' is used twice (first at line "),
    ("fields.yaml", "slug: kanko,", "slug: sangyo,", "field slug 'sangyo' is used twice (first at line "),
    ("normalize.yaml", "\nbodies:", "\nbodys:", "unknown key 'bodys' in a normalize.yaml entry (did you mean bodies?)"),
    ("normalize.yaml", "publisher: 東京都", "publisher: [東京都]", "publisher must be str, not ['東京都']"),
    ("overrides.yaml", 'code: "113638"', 'code: "113630"', "code '113630' is not in data/reference/municipalities.csv"),
    ("overrides.yaml", "  note: 原文", "  nöte: 原文", "unknown key 'nöte' in a override entry (did you mean note?)"),
    ("overrides.yaml", 'code: "113638"', "code: 113638", "code must be str, not 113638"),
    (
        "normalize.yaml",
        "  槇: 槙\n",
        "  嶋: 島\n  槇: 槙\n",
        "variants 嶋→島 make the official names 鹿島市 and 鹿嶋市 one name",
    ),
    ("normalize.yaml", "  - '等'\n", "  - '等('\n", "suffixes: '等(' is not a valid pattern"),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), MISTAKES)
def test_each_mistake_is_one_located_line(tables, name, old, new, message):
    line = edit(tables, name, old, new)
    found = problems(tables)
    assert len(found) == 1, found
    assert found[0].startswith(f"{tables / name}:{line}: {message}"), found


def test_every_problem_of_every_table_is_reported_at_once(tables):
    lines = [edit(tables, name, old, new) for name, old, new, _ in (MISTAKES[0], MISTAKES[5], MISTAKES[9])]
    found = problems(tables)
    assert [p.split(": ", 1)[0] for p in found] == [
        f"{tables / 'bureaus.yaml'}:{lines[1]}",
        f"{tables / 'groups.yaml'}:{lines[0]}",
        f"{tables / 'overrides.yaml'}:{lines[2]}",
    ]


def test_yaml_that_does_not_parse_and_bytes_that_are_not_utf8_are_located(tables):
    (tables / "fields.yaml").write_text("- {name: 産業, slug: sangyo\n", encoding="utf-8")
    (tables / "overrides.yaml").write_bytes(b"- surface: \xff\n")
    found = problems(tables)
    assert found[0].startswith(f"{tables / 'fields.yaml'}:") and "not valid YAML" in found[0]
    assert found[1] == f"{tables / 'overrides.yaml'}:1: not UTF-8 text: byte 0xff at column 12 (save the file as UTF-8)"


def test_a_build_with_a_broken_table_exits_1_and_writes_nothing(tables, tmp_path, capsys):
    edit(tables, "groups.yaml", "members: all_prefectures_but_tokyo", "members: all_prefectures_but_tokio")
    out = tmp_path / "site"
    assert main(["build", "--data", str(tables), "--out", str(out)]) == 1
    assert f"{tables / 'groups.yaml'}:" in capsys.readouterr().err
    assert not out.exists()


def test_an_override_pinned_to_a_no_applies_to_that_no_only(reference):
    [pin] = reference.overrides
    assert (pin.surface, pin.year, pin.no, pin.code) == ("秩父郡長瀬町", 2022, 8, "113638")


def test_pattern_groups_expand_to_one_group_per_prefecture_and_gun(reference):
    nagano = reference.groups["長野県内の全市町村"]
    assert len(nagano.members) == 77 and all(reference.places[c].pref_code == "20" for c in nagano.members)
    kamikawa = reference.groups["北海道上川郡の町村"]
    assert len(kamikawa.members) == 13 and "上川郡の町村" in kamikawa.aliases
    assert reference.groups["首都圏"].members_known is False
    assert reference.groups["関西広域連合"].members_since == 2016
    slugs = [g.slug for g in reference.groups.values()]
    assert len(slugs) == len(set(slugs))
    every_gun = {(p.pref_code, p.gun) for p in reference.places.values() if p.kind in ("town", "village") and p.gun}
    assert sum(label.endswith("郡の町村") for label in reference.groups) == len(every_gun)


def test_a_bureau_reads_like_its_mapping_for_templates(reference):
    bureau = next(b for b in reference.bureaus if b.slug == "seikatsu-bunka-sports")
    assert bureau["names"][0]["name"] == "生活文化スポーツ局" and bureau.names[1].until == 2021
    assert bureau.get("predecessors", []) == [] and bureau.get("names")[0].get("since") == 2022


def test_a_mention_whose_code_and_name_disagree_is_a_located_error(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(".cache"))
    line = edit(
        data, "2022/projects.yaml", "    name: 千代田区\n    code: '131016'", "    name: 和光市\n    code: '131016'"
    )
    assert main(["check", "--data", str(data)]) == 1
    assert f"2022/projects.yaml:{line}: code 131016 is 東京都千代田区, not '和光市'" in capsys.readouterr().err


def test_a_missing_table_is_one_line(tables):
    (tables / "fields.yaml").unlink()
    assert problems(tables) == [f"{tables / 'fields.yaml'}: cannot be read (No such file or directory)"]
