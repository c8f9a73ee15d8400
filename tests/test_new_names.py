"""A new fiscal year in one command, whatever it brings: new bureaus and fields get stable slugs
recorded in data/, a bureau name wrapped in fixed-width text reads whole, and the diff speaks names."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from conftest import DATA, seed_path
from layout_render import render_layout
from next_year import fy2022_rows

from renkei_site.cli import main
from renkei_site.read.table import COLUMNS
from renkei_site.resolve.names import new_names, unique_slug
from renkei_site.resolve.readings import slug
from renkei_site.resolve.reference import load_reference

TITLE = "令和5年度 全国各地との連携事業一覧(令和5年4月1日時点)"
NEW_BUREAU = "スタートアップ・国際金融都市戦略室"
NEW_BUREAU_SLUG = "sutatoappu-kokusai-kinyu-toshi-senryaku-shitsu"
NEW_FIELD = "デジタル"
RENAMED = ("港湾局", "東京港湾局")
NEW_ROW = {
    "bureau": NEW_BUREAU,
    "field": NEW_FIELD,
    "status": "新規",
    "name": "地域スタートアップ連携事業",
    "partners_current": "岩手県遠野市",
    "partners_past": "-",
    "description": "遠野市と連携し、地域発のスタートアップを支援する。",
    "remarks": "",
}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def fy2023_rows() -> list[dict[str, str]]:
    """FY2022 with a new bureau and field (a new row), a renamed bureau, and every
    デジタルサービス局 printed wrapped after デジタル (a break the fixed-width form shows as two lines)."""
    rows = fy2022_rows(seed_path().read_bytes())
    for row in rows:
        if row["bureau"] == RENAMED[0]:
            row["bureau"] = RENAMED[1]
        if row["bureau"] == "デジタルサービス局":
            row["bureau"] = "デジタル サービス局"  # the layout renderer breaks a cell at a space
    rows.append({**NEW_ROW, "no": str(len(rows) + 1)})
    return rows


def fy2023_list() -> bytes:
    rows = [[row[key] for key in COLUMNS] for row in fy2023_rows()]
    return render_layout(TITLE, rows).encode("utf-8")


def run(*args: str, capsys) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def new_year(tmp_path_factory) -> dict:
    """FY2022 data plus the FY2023 list above, imported and built with one command each."""
    root = tmp_path_factory.mktemp("new-names")
    data = root / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(".cache"))
    source = root / "r5.txt"
    source.write_bytes(fy2023_list())
    fy2022 = (data / "2022" / "projects.yaml").read_bytes()
    imported = main(["-q", "import", str(source), "--data", str(data)])
    built = main(["-q", "build", "--data", str(data), "--out", str(root / "site")])
    return {"root": root, "data": data, "source": source, "fy2022": fy2022, "codes": (imported, built)}


def test_import_then_build_need_no_hand_edit(new_year):
    assert new_year["codes"] == (0, 0)


def test_the_wrapped_bureau_reads_whole_and_is_not_a_new_name(new_year):
    records = yaml.safe_load((new_year["data"] / "2023" / "projects.yaml").read_text(encoding="utf-8"))
    bureaus = {p["bureau"] for p in records["projects"]}
    assert "デジタルサービス局" in bureaus and not any(" " in b for b in bureaus)
    entries = yaml.safe_load((new_year["data"] / "bureaus.yaml").read_text(encoding="utf-8"))
    assert [e["names"][0]["name"] for e in entries if e.get("generated")] == [RENAMED[1], NEW_BUREAU]


def test_new_names_are_recorded_with_stable_slugs(new_year):
    bureaus = yaml.safe_load((new_year["data"] / "bureaus.yaml").read_text(encoding="utf-8"))
    generated = {e["names"][0]["name"]: e for e in bureaus if e.get("generated")}
    assert generated[NEW_BUREAU] == {
        "slug": NEW_BUREAU_SLUG,
        "names": [{"name": NEW_BUREAU, "since": 2023}],
        "generated": 2023,
    }
    assert generated[RENAMED[1]]["slug"] == "tokyoko-wan-kyoku"  # as pykakasi segments 東京港・湾局
    fields = yaml.safe_load((new_year["data"] / "fields.yaml").read_text(encoding="utf-8"))
    assert fields[-1] == {"name": NEW_FIELD, "slug": "dejitaru", "generated": 2023}
    # the hand-written part of the files is kept as it was, comments included
    shipped = (DATA / "bureaus.yaml").read_text(encoding="utf-8")
    assert (new_year["data"] / "bureaus.yaml").read_text(encoding="utf-8").startswith(shipped)


def test_the_site_has_the_new_pages(new_year):
    site = (new_year["root"] / "site").resolve()
    bureau = (site / "bureaus" / NEW_BUREAU_SLUG / "index.html").read_text(encoding="utf-8")
    assert NEW_BUREAU in bureau and "地域スタートアップ連携事業" in bureau
    assert NEW_FIELD in (site / "fields" / "dejitaru" / "index.html").read_text(encoding="utf-8")
    assert "地域スタートアップ連携事業" in (site / "municipalities" / "032085" / "index.html").read_text(
        encoding="utf-8"
    )
    project = (site / "2023" / "projects" / "080" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../../bureaus/{NEW_BUREAU_SLUG}/index.html"' in project
    assert 'href="../../../fields/dejitaru/index.html"' in project
    assert (site / "bureaus" / "tokyoko-wan-kyoku" / "index.html").exists()
    assert (site / "bureaus" / "kowan" / "index.html").exists()  # the FY2022 permalink stays


def test_the_import_report_names_what_it_added_and_how_to_record_a_rename(new_year, capsys):
    data = new_year["data"]
    copy = new_year["root"] / "report-data"
    shutil.copytree(data, copy, ignore=shutil.ignore_patterns("2023", ".cache"))
    for name in ("bureaus.yaml", "fields.yaml"):
        shutil.copy(DATA / name, copy / name)
    code, out, _ = run("import", str(new_year["source"]), "--data", str(copy), capsys=capsys)
    assert code == 0
    assert f"added to data/bureaus.yaml: {NEW_BUREAU} → bureaus/{NEW_BUREAU_SLUG}/ (slug from its reading)" in out
    assert "added to data/fields.yaml: デジタル → fields/dejitaru/ (slug from its reading)" in out
    assert (
        "  東京港湾局 took over projects of 港湾局: if it is a rename or split, add `predecessors: [old slug]`" in out
    )
    assert "unknown bureau" not in out and "デジタル サービス局" not in out


def test_reimport_with_force_keeps_every_slug(new_year, capsys):
    data = new_year["data"]
    before = {name: (data / name).read_bytes() for name in ("bureaus.yaml", "fields.yaml")}
    site_before = sorted(str(p.relative_to(new_year["root"] / "site")) for p in (new_year["root"] / "site").rglob("*"))
    code, out, _ = run("import", str(new_year["source"]), "--data", str(data), "--force", capsys=capsys)
    assert code == 0 and "added to data/" not in out
    assert {name: (data / name).read_bytes() for name in before} == before
    assert run("-q", "build", "--data", str(data), "--out", str(new_year["root"] / "site"), capsys=capsys)[0] == 0
    site_after = sorted(str(p.relative_to(new_year["root"] / "site")) for p in (new_year["root"] / "site").rglob("*"))
    assert site_after == site_before


def test_fy2022_records_are_unchanged(new_year):
    assert (new_year["data"] / "2022" / "projects.yaml").read_bytes() == new_year["fy2022"]


def test_the_diff_speaks_names(new_year, capsys):
    code, out, _ = run("diff", "2022", "2023", "--data", str(new_year["data"]), capsys=capsys)
    assert code == 0
    assert "bureau 港湾局 → 東京港湾局" in out
    assert f"+ No.80 地域スタートアップ連携事業 ({NEW_BUREAU}, 新規)" in out
    assert "~ No.57 登録湿地を有する自治体との連携(ラムサール条約): 所管局: 港湾局 → 東京港湾局" in out
    assert "デジタルサービス局 →" not in out  # a wrapped name is the same bureau
    code, out, _ = run("diff", "2022", "2023", "--data", str(new_year["data"]), "--format", "json", capsys=capsys)
    diff = json.loads(out)
    assert {b["from"]: b["to"] for b in diff["bureaus_renamed"]} == {"港湾局": ["東京港湾局"]}


def test_diff_check_and_export_do_not_need_slugs(new_year, tmp_path, capsys):
    """A year whose bureau has no entry yet (a hand-written record) still diffs, checks and exports;
    only a build, which needs the slug for the page, refuses it with the record's line."""
    data = tmp_path / "data"
    shutil.copytree(new_year["data"], data, ignore=shutil.ignore_patterns(".cache"))
    shutil.copy(DATA / "bureaus.yaml", data / "bureaus.yaml")
    shutil.copy(DATA / "fields.yaml", data / "fields.yaml")
    assert run("diff", "2022", "2023", "--data", str(data), capsys=capsys)[0] == 0
    code, out, _ = run("export", "projects", "--year", "2023", "--format", "json", "--data", str(data), capsys=capsys)
    assert code == 0 and NEW_BUREAU in out
    code, _, err = run("check", "--data", str(data), capsys=capsys)
    assert code == 1 and f"unknown bureau '{NEW_BUREAU}': no entry (slug) in data/bureaus.yaml" in err
    code, _, err = run("build", "--data", str(data), "--out", str(tmp_path / "site"), capsys=capsys)
    assert code == 1 and re.search(rf"2023/projects\.yaml:\d+: unknown bureau '{NEW_BUREAU}'", err)
    assert not (tmp_path / "site").exists()


# --- rules over every name we have ---------------------------------------------------------


def every_name() -> list[str]:
    """Bureau and field names, and every place name in the reference data: 2,000 Japanese names."""
    reference = load_reference(DATA)
    names = [n["name"] for b in reference.bureaus for n in b["names"]]
    return [*names, *reference.fields, *(p.name for p in reference.places.values())]


def test_every_slug_is_ascii_lower_case_with_hyphens_and_deterministic():
    for name in every_name():
        made = slug(name)
        assert SLUG.fullmatch(made), (name, made)
        assert slug.__wrapped__(name) == made


def test_a_colliding_slug_gets_the_first_free_suffix():
    assert unique_slug("福祉局", "bureau", set()) == "fukushi-kyoku"
    assert unique_slug("福祉局", "bureau", {"fukushi-kyoku"}) == "fukushi-kyoku-2"
    assert unique_slug("福祉局", "bureau", {"fukushi-kyoku", "fukushi-kyoku-2"}) == "fukushi-kyoku-3"
    assert unique_slug("・・", "field", {"field"}) == "field-2"  # no reading at all


def test_new_names_never_reuse_a_slug_and_ignore_spaces_and_width():
    reference = load_reference(DATA)
    names = [p.name for p in reference.places.values()][:400]
    added = new_names([*names, "デジタル サービス局", "ﾃﾞｼﾞﾀﾙｻｰﾋﾞｽ局"], ["ｽﾎﾟｰﾂ", "観 光"], 2030, reference)
    slugs = [a.slug for a in added if a.kind == "bureau"] + [b["slug"] for b in reference.bureaus]
    assert len(slugs) == len(set(slugs))
    assert {a.name for a in added} == set(names)  # the known bureau and fields, however spelled, are not new
