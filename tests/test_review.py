"""What import and check list for review, each under the FILE:LINE of its row in the list: every
reading that needed a character changed, joined or a name's history, and wording left as text that
holds a known place's name."""

from __future__ import annotations

import pytest
from conftest import seed_path

from renkei_site.cli import main
from renkei_site.resolve.named import places_named

CELLS = {  # No. -> 関係自治体(現在)
    1: "株式会社長野観光、山梨県",  # text naming a known place: reviewed
    2: "京都県、旧与野市",  # a slip and a former municipality: corrected, reviewed
    3: "長崎県佐世 保市",  # joined across the space a wrapped cell left
}


@pytest.fixture
def small_list(tmp_path):
    lines = seed_path().read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("No.\t"))
    rows = []
    for no, cell in CELLS.items():
        cells = lines[header + no].split("\t")
        cells[5] = cell
        rows.append("\t".join(cells))
    path = tmp_path / "list.txt"
    path.write_text("\n".join([*lines[: header + 1], *rows]) + "\n", encoding="utf-8")
    return path, header + 2  # the list's line of No.1


def test_import_and_check_list_each_review_item_under_its_rows_location(small_list, data_copy, capsys):
    path, first = small_list
    assert main(["import", str(path), "--data", str(data_copy), "--year", "2023"]) == 0
    imported = capsys.readouterr().out.splitlines()
    assert main(["check", "--data", str(data_copy)]) == 0
    checked = capsys.readouterr().out.splitlines()
    for out in (imported, checked):
        at = {line.split(": to review in ")[1]: line.split(": ")[0] for line in out if ": to review in " in line}
        assert {k: v.rsplit(":", 1)[1] for k, v in at.items()} == {
            f"2023 No.{no}:": str(first + no - 1) for no in CELLS
        }
        assert all(v.startswith(str(data_copy / "2023" / "source-")) for v in at.values())
        assert (
            "2023 No.1 current: text 「株式会社長野観光」 names 長野県: read it by hand or pin it in data/overrides.yaml"
            in out
        )
        assert "2023 No.2 current: corrected 京都県→京都府" in out
        assert "2023 No.2 current: corrected 旧与野市→さいたま市(旧与野市、2001年に合併)" in out
        assert "2023 No.3 current: corrected 長崎県佐世 保市→佐世保市" in out


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("東京都の自治体", ["東京都"]),  # 京都 is not read inside 東京都
        ("長野と松本市の団体", ["長野県", "松本市"]),
        ("国", []),
    ],
)
def test_the_places_a_piece_of_wording_names(reference, text, names):
    assert [p.name for p in places_named(text, reference)] == names


def test_every_prefecture_and_municipality_is_found_in_wording(reference):
    missed = [
        p.name
        for p in reference.places.values()
        if p.kind != "ward" and p.code not in {q.code for q in places_named(f"株式会社{p.name}商事", reference)}
    ]
    assert missed == []
