"""A second fiscal year: one import, a review report, a diff, a changes page, and no broken FY2022 URL."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from next_year import EXPECTED

from renkei_site.cli import main

BUREAU_MOVES_EXPECTED = {
    "福祉の仕事イメージアップキャンペーン事業(福祉人材確保のためのPRキャンペーン内での他県との広報連携)": {"bureau"},
    "関東甲信越静岡ブロック広域火葬連絡通信訓練": {"bureau"},
}


def site_files(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}


def text_of(page: Path) -> str:
    body = re.sub(r"<svg.*?</svg>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_the_test_list_is_fixed_width_shift_jis(two_years):
    source = (two_years["root"] / "r5_renkei.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        source.decode("utf-8")
    assert "\t" not in source.decode("cp932")
    assert two_years["result"].year.source["form"] == "layout"
    assert two_years["result"].year.source["encoding"] == "cp932"


def test_import_detects_the_year_and_reports_what_to_review(two_years):
    report = two_years["result"].report
    assert two_years["result"].path == two_years["data"] / "2023" / "projects.yaml"
    assert report[0].startswith("fiscal year 2023 (令和5年度") and "as of 2023-04-01" in report[0]
    assert "rows read: 78  (source layout, cp932)" in report
    assert "new bureau (not in any earlier year): 福祉局" in report
    assert "new bureau (not in any earlier year): 保健医療局" in report
    # the FY2022 override is pinned to 2022 No.8: a new year's 長瀬町 is reported, not silently fixed
    unresolved = [line for line in report if line.startswith("2023 No.") and "unresolved" in line]
    assert unresolved == [
        "2023 No.8 current: unresolved 「秩父郡長瀬町」 (one letter from: 埼玉県横瀬町, 埼玉県長瀞町)"
        " — pin it in data/overrides.yaml"
    ]
    assert "  bureau 福祉保健局 → 保健医療局、福祉局" in report


def test_after_the_fix_the_report_is_clean(two_years):
    report = two_years["fixed"].report
    assert "2023 No.8 current: corrected 秩父郡長瀬町→長瀞町 (data/overrides.yaml: 長瀞町の誤記)" in report
    assert not [line for line in report if "unresolved" in line.split(":")[-1]]
    assert "  2022 → 2023: 1 added, 2 removed, 10 changed, 67 unchanged" in report


def test_import_leaves_earlier_years_and_hand_fixes_alone(two_years):
    after = two_years["after"]
    for relative, content in two_years["before"].items():
        assert after[relative] == content, relative
    assert sorted(str(p) for p in set(after) - set(two_years["before"])) == [
        "2023/projects.yaml",
        f"2023/{two_years['result'].year.source['file']}",
    ]


def test_diff_json_lists_exactly_the_changes_made(two_years, capsys):
    assert main(["diff", "2022", "2023", "--data", str(two_years["data"]), "--format", "json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in diff["added"]] == EXPECTED["added"]
    assert [p["name"] for p in diff["removed"]] == EXPECTED["removed"]
    changed = {p["name"]: set(p["changes"]) for p in diff["changed"]}
    assert changed == {**EXPECTED["changed"], **BUREAU_MOVES_EXPECTED}
    assert {b["from"]: b["to"] for b in diff["bureaus_renamed"]} == EXPECTED["bureaus_renamed"]
    moved = next(p for p in diff["changed"] if p["name"] == "TOKYO Xブランド強化支援")
    assert moved["changes"]["partners_moved_to_past"] == [{"name": "山梨県", "code": "190004"}]
    assert moved["previous"]["no"] == 14 and moved["no"] == 13  # renumbered after a dropped row
    renamed = {p["previous"]["name"]: p["name"] for p in diff["renamed"]}
    assert renamed == {
        "木の街並み創出事業": "木の街並み創出推進事業(旧:木の街並み創出事業)",
        "女性しごとEXPO": "女性しごと応援フェスタ",
    }


def test_diff_text_says_the_same(two_years, capsys):
    assert main(["diff", "2022", "2023", "--data", str(two_years["data"])]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2022 → 2023: 1 added, 2 removed, 10 changed, 67 unchanged"
    assert "+ No.34 信州・東京観光連携推進事業 (産業労働局, 新規)" in out
    assert "- No.11 中小企業連携促進ファンド (産業労働局)" in out
    assert "~ No.64 利根川水系上下流交流事業: 関係自治体(現在)に追加: 栃木県" in out
    assert "~ No.13 TOKYO Xブランド強化支援: 関係自治体(現在)→(過去): 山梨県" in out
    assert not [line for line in out if re.search(r"\b\d{6}\b|partners_", line)]  # names, never codes or keys


def test_the_site_offers_the_same_json(two_years, capsys):
    main(["diff", "2022", "2023", "--data", str(two_years["data"]), "--format", "json"])
    printed = json.loads(capsys.readouterr().out)
    assert json.loads((two_years["site"] / "2023" / "changes.json").read_text(encoding="utf-8")) == printed


def test_changes_page_lists_the_changes(two_years):
    page = text_of(two_years["site"] / "2023" / "changes" / "index.html")
    assert "追加 1件、終了 2件、変更 10件、変更なし 67件" in page
    for name in [*EXPECTED["added"], *EXPECTED["removed"], *EXPECTED["changed"]]:
        assert name in page
    assert "関係自治体(現在)→(過去):山梨県" in page
    assert "関係自治体(現在)に追加:栃木県" in page
    assert "所管局:福祉保健局 → 保健医療局" in page
    assert "福祉保健局 → 保健医療局 、 福祉局" in page


def test_every_fy2022_url_still_resolves(two_years):
    old = site_files(two_years["root"] / "site-2022")
    new = site_files(two_years["site"])
    assert old - new == set()
    assert len([f for f in old if f.startswith("2022/projects/")]) == 79
    # and a FY2022 permalink still shows the FY2022 project
    assert "中小企業連携促進ファンド" in text_of(two_years["site"] / "2022" / "projects" / "011" / "index.html")


def test_project_pages_link_their_history(two_years):
    site = two_years["site"]
    later = (site / "2023" / "projects" / "012" / "index.html").read_text(encoding="utf-8")
    assert "女性しごと応援フェスタ" in later and 'href="../../../2022/projects/013/index.html"' in later
    earlier = (site / "2022" / "projects" / "016" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../2023/projects/015/index.html"' in earlier  # 木の街並み…, matched by its (旧:…)


def test_prefecture_pages_show_what_started_and_ended(two_years):
    nagano = text_of(two_years["site"] / "prefectures" / "nagano" / "index.html")
    assert "始まった(1件) 信州・東京観光連携推進事業 No.34 · 産業労働局 · 観光 · 新規 終わった(0件)" in nagano
    yamanashi = text_of(two_years["site"] / "prefectures" / "yamanashi" / "index.html")
    assert "終わった(1件) TOKYO X ブランド強化支援 2022年度 · No.14" in yamanashi
    assert "2022 7 30 ― ―" in nagano and "2023 8 30 1 0" in nagano  # the per-year table


def test_bureau_pages_span_the_split(two_years):
    site = two_years["site"]
    old = text_of(site / "bureaus" / "fukushi-hoken" / "index.html")
    assert "後継の局: 福祉局 、 保健医療局" in old and "2022年度(2事業)" in old
    new = (site / "bureaus" / "fukushi" / "index.html").read_text(encoding="utf-8")
    assert 'href="../fukushi-hoken/index.html"' in new and "2023年度(1事業)" in new
