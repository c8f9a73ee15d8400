"""Where each year's list was published (import --source-url, kept with the year) and the terms of
reuse: linked from the year, project and about pages; stated beside the downloads."""

from __future__ import annotations

import re

import pytest

from renkei_site.cli import main

URL = "https://www.example.metro.tokyo.lg.jp/renkei/r4_ichiran.pdf"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """FY2022 imported from its list with --source-url, and built."""
    import shutil

    from conftest import DATA, seed_path

    root = tmp_path_factory.mktemp("source")
    data = root / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("20[0-9][0-9]", ".cache"))
    assert main(["-q", "import", str(seed_path()), "--data", str(data), "--source-url", URL, "--jobs", "1"]) == 0
    assert main(["-q", "build", "--data", str(data), "--out", str(root / "site"), "--jobs", "1"]) == 0
    return data, root / "site"


def test_the_url_is_kept_with_the_year(imported):
    data, _ = imported
    text = (data / "2022" / "projects.yaml").read_text(encoding="utf-8")
    assert f"  url: {URL}\n" in text.split("projects:")[0]


@pytest.mark.parametrize("page", ["2022/index.html", "2022/projects/001/index.html", "about/index.html"])
def test_the_year_project_and_about_pages_link_the_publication(imported, page):
    _, site = imported
    html = (site / page).read_text(encoding="utf-8")
    cited = re.search(r'(?:出典:|<li>)東京都<a href="([^"]+)" rel="noopener noreferrer">『([^』]+)』</a>', html)
    assert cited and cited.group(1) == URL
    assert cited.group(2).startswith("令和4年度 全国各地との連携事業一覧")
    if "projects/001" in page:
        assert "(取り込んだテキスト 6行目)" in html  # the tab-separated list: its line, not a page of the PDF


def test_the_downloads_page_states_the_terms_and_the_attribution(imported):
    _, site = imported
    html = (site / "downloads" / "index.html").read_text(encoding="utf-8")
    terms = re.search(r'<p class="terms">(.*?)</p>', html).group(1)
    assert "CC BY 4.0、https://creativecommons.org/licenses/by/4.0/deed.ja" in terms  # the licence named, not linked
    assert "出典:東京都『全国各地との連携事業一覧』(各年度)を加工して作成" in terms


def test_without_a_url_the_source_is_named_without_a_link(tmp_path):
    from conftest import DATA

    assert main(["-q", "build", "--data", str(DATA), "--out", str(tmp_path / "site"), "--jobs", "1"]) == 0
    html = (tmp_path / "site" / "2022" / "index.html").read_text(encoding="utf-8")
    assert "出典:東京都『令和4年度 全国各地との連携事業一覧(令和4年4月1日時点)』" in html


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://example.org/x.pdf", "https://e.jp/a b", "//e.jp/x"])
def test_an_address_that_is_not_a_web_page_is_refused(data_copy, capsys, bad):
    from conftest import seed_path

    status = main(["-q", "import", str(seed_path()), "--data", str(data_copy), "--source-url", bad, "--jobs", "1"])
    assert status == 1
    assert "--source-url: not an http(s) address" in capsys.readouterr().err
    assert not (data_copy / "2022").exists()


def test_a_hand_edited_url_is_checked_with_its_line(data_2022, capsys):
    records = data_2022 / "2022" / "projects.yaml"
    text = records.read_text(encoding="utf-8")
    records.write_text(text.replace("  form: tsv\n", "  form: tsv\n  url: javascript:alert(1)\n", 1), encoding="utf-8")
    line = text.split("\n").index("  form: tsv") + 2
    assert main(["-q", "check", "--data", str(data_2022)]) == 1
    assert f"projects.yaml:{line}: source url must be an http(s) address" in capsys.readouterr().err
