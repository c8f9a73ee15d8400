"""Import, build, export and check end to end on copies of data/."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, seed_path

from renkei_site.cli import main


def run(*args: str, capsys=None) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


def test_import_into_a_data_copy_without_years(data_copy, capsys):
    code, out, _ = run("import", str(seed_path()), "--data", str(data_copy), capsys=capsys)
    assert code == 0
    assert "rows read: 79" in out and "corrected 文教区→文京区" in out

    def without_name(path: Path) -> str:
        return "".join(ln for ln in path.read_text(encoding="utf-8").splitlines(True) if "original_name" not in ln)

    assert without_name(data_copy / "2022" / "projects.yaml") == without_name(ROOT / "data" / "2022" / "projects.yaml")


def test_import_refuses_to_overwrite_without_force(data_2022, capsys):
    before = (data_2022 / "2022" / "projects.yaml").read_bytes()
    code, _, err = run("import", str(seed_path()), "--data", str(data_2022), capsys=capsys)
    assert code == 1
    assert "fiscal year 2022 already exists; use --force" in err
    assert (data_2022 / "2022" / "projects.yaml").read_bytes() == before


def test_import_force_shows_what_it_replaced(data_2022, tmp_path, capsys):
    edited = tmp_path / "list.txt"
    text = (
        seed_path()
        .read_text(encoding="utf-8")
        .replace("\t新規\t中小企業受注拡大プロジェクト", "\t継続\t中小企業受注拡大プロジェクト")
    )
    edited.write_text(text, encoding="utf-8")
    code, out, _ = run("import", str(edited), "--data", str(data_2022), "--force", capsys=capsys)
    assert code == 0
    assert "replaced the earlier import of 2022: 79 → 79 projects" in out
    assert "~ No.10 中小企業受注拡大プロジェクト: 新規継続: 新規 → 継続" in out


def test_bad_list_writes_nothing(data_copy, tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "令和5年度 一覧\nNo.\t所管局\t分野\t新規継続\t事業名\t関係自治体(現在)\t関係自治体(過去)\t事業内容\t備考\n1\t総務局\n",
        encoding="utf-8",
    )
    code, _, err = run("import", str(bad), "--data", str(data_copy), capsys=capsys)
    assert code == 1
    assert "bad.txt:3: row has 2 cells, expected 9" in err
    assert not (data_copy / "2023").exists()


def test_export_projects_csv_and_json(capsys):
    code, out, _ = run("export", "projects", "--year", "2022", "--format", "csv", capsys=capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 79
    assert {
        "no",
        "bureau",
        "field",
        "status",
        "name",
        "partners_current",
        "partners_past",
        "description",
        "remarks",
    } <= set(rows[0])
    assert rows[9]["name"] == "中小企業受注拡大プロジェクト" and rows[9]["status"] == "新規"
    code, out, _ = run("export", "projects", "--format", "json", capsys=capsys)
    assert [p["no"] for p in json.loads(out)] == list(range(1, 80))


def test_export_on_a_copy_without_years_says_so(data_copy, capsys):
    code, _, err = run("export", "projects", "--data", str(data_copy), capsys=capsys)
    assert code == 1 and "no fiscal year imported yet" in err


def test_build_is_byte_identical_across_hash_seeds(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"site{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "--out", str(out)],
            check=True,
            cwd=ROOT,
            env=env,
            capture_output=True,
        )
        outputs.append({str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]
    assert "index.html" in outputs[0] and "2022/projects/079/index.html" in outputs[0]


def test_failing_build_leaves_previous_site_untouched(data_2022, tmp_path, capsys):
    out = tmp_path / "_site"
    assert run("build", "--data", str(data_2022), "--out", str(out), capsys=capsys)[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    records = data_2022 / "2022" / "projects.yaml"
    records.write_text(
        records.read_text(encoding="utf-8").replace("bureau: 政策企画局", "bureau: 未知局", 1), encoding="utf-8"
    )
    code, _, err = run("build", "--data", str(data_2022), "--out", str(out), capsys=capsys)
    assert code == 1
    assert "projects.yaml:15: unknown bureau '未知局'" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_unchanged_rebuild_rewrites_no_file(data_2022, tmp_path, capsys):
    out = tmp_path / "_site"
    run("build", "--data", str(data_2022), "--out", str(out), capsys=capsys)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    code, printed, _ = run("build", "--data", str(data_2022), "--out", str(out), capsys=capsys)
    assert code == 0 and "nothing changed" in printed
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps


def site_bytes(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_the_build_cache_is_only_an_optimisation(data_2022, tmp_path):
    from renkei_site import pipeline

    fresh = tmp_path / "fresh" / "_site"
    pipeline.build(data_2022, fresh)
    out = tmp_path / "cached" / "_site"
    pipeline.build(data_2022, out)
    damaged = list((data_2022 / ".cache").glob("*.pickle"))
    assert damaged  # the validated FY2022 records
    for cached in damaged:
        cached.write_bytes(b"not a pickle")
    (tmp_path / "cached" / "_site.cache" / "last-build.json").write_text("{", encoding="utf-8")
    result = pipeline.build(data_2022, out)  # damaged cache: load, render and compare again …
    assert result.unchanged and result.written == 0  # … and still write nothing
    assert all(cached.read_bytes() != b"not a pickle" for cached in damaged)
    assert site_bytes(out) == site_bytes(fresh)
    shutil.rmtree(tmp_path / "cached" / "_site.cache")
    assert pipeline.build(data_2022, out).unchanged  # no cache: render, compare, write nothing
    assert site_bytes(out) == site_bytes(fresh)


def test_a_changed_template_or_base_url_is_a_change(data_2022, tmp_path):
    from renkei_site import pipeline

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    out = tmp_path / "_site"
    pipeline.build(data_2022, out, templates=templates)
    assert pipeline.build(data_2022, out, templates=templates).unchanged
    about = templates / "about.html"
    about.write_text(about.read_text(encoding="utf-8").replace("出典", "出典(改)", 1), encoding="utf-8")
    result = pipeline.build(data_2022, out, templates=templates)
    assert not result.unchanged and result.written >= 1
    assert "出典(改)" in (out / "about" / "index.html").read_text(encoding="utf-8")
    result = pipeline.build(data_2022, out, "https://example.org/renkei/", templates=templates)
    assert not result.unchanged and (out / "sitemap.xml").exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  'no': 5\n", "  'no': five\n", "no must be a whole number, not 'five'"),
        ("  'no': 5\n", "  'no': 4\n", "duplicate No. 4"),
        ("  field: 産業\n", "  field: 工業\n", "unknown field '工業'"),
        ("    code: '131059'\n", "    code: '131050'\n", "code '131050' is not in data/reference/municipalities.csv"),
        ("  status: 新規\n", "  status: 新しい\n", "status must be 新規 or 継続"),
        ("  source_lines:\n  - 6\n", "  source_pages: [1, x]\n  source_lines:\n  - 6\n", "source_pages must be"),
        (
            "  source_lines:\n  - 6\n",
            "  source_top: -3\n  source_pages: [1, 2]\n  source_lines:\n  - 6\n",
            "source_top must be a whole number of points on a page, not -3",
        ),
    ],
    ids=["wrong-type", "duplicate-no", "unknown-field", "broken-code", "bad-status", "bad-pages", "bad-top"],
)
def test_hand_edited_yaml_mistakes_are_located(data_2022, capsys, old, new, message):
    records = data_2022 / "2022" / "projects.yaml"
    text = records.read_text(encoding="utf-8")
    assert old in text
    lines_before = text[: text.index(old)].count("\n") + 1
    records.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, _, err = run("check", "--data", str(data_2022), capsys=capsys)
    assert code == 1
    assert f"projects.yaml:{lines_before}: {message}" in err


def test_every_mistake_is_reported_at_once(data_2022, capsys):
    records = data_2022 / "2022" / "projects.yaml"
    text = records.read_text(encoding="utf-8").replace("\n  field: 産業\n", "\n  field: 工業\n", 2)
    text = text.replace("  status: 新規\n", "  status: x\n", 1)
    records.write_text(text, encoding="utf-8")
    code, _, err = run("check", "--data", str(data_2022), capsys=capsys)
    assert code == 1
    assert err.count("unknown field '工業'") == 2 and err.count("status must be") == 1
    assert "3 problems" in err


def test_check_on_shipped_data_reports_corrections_and_no_unresolved(capsys):
    code, out, _ = run("check", capsys=capsys)
    assert code == 0
    assert "2022 No.1 current: corrected 文教区→文京区" in out
    assert "2022 No.8 current: corrected 秩父郡長瀬町→長瀞町" in out
    assert "0 unresolved" in out


def test_records_load_the_same_whatever_their_yaml_layout(reference):
    import yaml

    from renkei_site import records

    text = (ROOT / "data" / "2022" / "projects.yaml").read_text(encoding="utf-8")
    as_written = records.validate_text(text, reference, "projects.yaml")  # parsed project by project
    relaid = yaml.safe_dump(yaml.safe_load(text), allow_unicode=True, indent=4, width=60, sort_keys=True)
    assert "\n- id:" not in relaid  # not the shape year_to_yaml writes: parsed whole
    assert records.validate_text(relaid, reference, "relaid.yaml").projects == as_written.projects
    assert len(as_written.projects) == 79
