"""Search that knows places: rules over every place the data names, a hand-checked corpus typed
into the box in Chromium, and the browser and the command line giving the same answers."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import CHROMIUM, DATA, seed_path
from hepburn import hepburn
from search_corpus import corpus_list

from renkei_site import pipeline
from renkei_site.cli import main
from renkei_site.resolve.reference import load_reference
from renkei_site.serve import serving


@dataclass(frozen=True)
class Case:
    queries: list[str]
    named: str  # "year/No." keys, space separated
    text: str
    group: int


# Each expectation was checked against the list: for a place, the rows whose partner cells or
# remarks name it (grep of the FY2022 source for the name, then 東京都 excluded for 京都; FY2023
# is FY2022 renumbered after two dropped rows, plus the corpus rows of tests/search_corpus.py).
CORPUS = [
    # 京都: No.1/6 (京都府京都市, past), 7, 8 (京都府宇治市), 22, 23, 53, 71, 72 — never the
    # projects that say only 東京都; 66 = the 33 projects a year that reach it through 全国道府県 etc.
    Case(
        ["京都", "京都府", "kyoto", "kyouto", "kyōto", "きょうと", "キョウト", "ｷｮｳﾄ", "ＫＹＯＴＯ"],
        named="2022/1 2022/6 2022/7 2022/8 2022/22 2022/23 2022/53 2022/71 2022/72 "
        "2023/1 2023/6 2023/7 2023/8 2023/21 2023/22 2023/52 2023/70 2023/71",
        text="",
        group=66,
    ),
    # 川崎 names 神奈川県川崎市 and (FY2023 No.80's remarks) 宮城県柴田郡川崎町: both, and the choice shown
    Case(
        ["川崎", "かわさき", "kawasaki", "カワサキ"],
        named="2022/1 2022/4 2022/49 2022/54 2022/56 2022/70 2022/72 "
        "2023/1 2023/4 2023/48 2023/53 2023/55 2023/69 2023/71 2023/80",
        text="",
        group=0,
    ),
    Case(
        ["川崎市"],
        named="2022/1 2022/4 2022/49 2022/54 2022/56 2022/70 2022/72 2023/1 2023/4 2023/48 2023/53 2023/55 2023/69 2023/71",
        text="",
        group=0,
    ),
    Case(["府中", "ふちゅう"], named="2023/79", text="", group=0),  # 東京都府中市 and 広島県府中市
    Case(["伊達", "だて"], named="2023/80", text="", group=0),  # 北海道伊達市 (current), 福島県伊達市 (past)
    Case(
        ["兵庫", "hyogo", "hyougo", "ひょうご"],
        named="2022/1 2022/7 2022/8 2022/41 2022/49 2022/57 2022/63 2022/64 2022/71 2022/72 "
        "2023/1 2023/7 2023/8 2023/40 2023/48 2023/56 2023/62 2023/63 2023/70 2023/71",
        text="",
        group=66,
    ),
    Case(
        ["北海道", "hokkaido", "hokkaidou"],
        named="2022/1 2022/5 2022/7 2022/8 2022/22 2022/23 2022/29 2022/41 2022/43 2022/45 2022/49 2022/51 "
        "2022/57 2022/71 2022/72 2023/1 2023/5 2023/7 2023/8 2023/21 2023/22 2023/28 2023/40 2023/42 2023/44 "
        "2023/48 2023/50 2023/56 2023/70 2023/71 2023/80",
        text="",
        group=66,
    ),
    Case(
        ["福島", "fukushima", "ﾌｸｼﾏ"],
        named="2022/3 2022/5 2022/6 2022/7 2022/19 2022/22 2022/23 2022/37 2022/38 2022/39 2022/41 2022/42 "
        "2022/43 2022/44 2022/45 2022/46 2022/49 2022/51 2022/54 2022/55 2022/71 2023/3 2023/5 2023/6 2023/7 "
        "2023/18 2023/21 2023/22 2023/36 2023/37 2023/38 2023/40 2023/41 2023/42 2023/43 2023/44 2023/45 "
        "2023/48 2023/50 2023/53 2023/54 2023/70 2023/80",
        text="",
        group=58,
    ),
    Case(["大分", "oita", "ooita", "おおいた"], named="2022/3 2022/7 2022/41 2023/3 2023/7 2023/40", text="", group=62),
    Case(["高知", "kochi", "kouchi"], named="2022/7 2022/8 2022/19 2023/7 2023/8 2023/18", text="", group=62),
    Case(["宇治", "宇治市"], named="2022/8 2023/8", text="", group=0),
    Case(["白河"], named="2022/49 2023/48", text="", group=0),  # only a theatre in 白河市, past partner
    Case(
        ["長野", "nagano"],
        named="2022/5 2022/6 2022/7 2022/8 2022/23 2022/49 2022/53 2022/54 2022/63 2022/67 "
        "2023/5 2023/6 2023/7 2023/8 2023/22 2023/34 2023/48 2023/52 2023/53 2023/62 2023/66",
        text="",
        group=60,
    ),
    Case(
        ["広島", "ひろしま"],
        named="2022/1 2022/5 2022/6 2022/7 2022/49 2022/62 2022/71 2022/72 "
        "2023/1 2023/5 2023/6 2023/7 2023/48 2023/61 2023/70 2023/71 2023/79",
        text="",
        group=66,
    ),
    Case(["水素", "すいそ"], named="2022/55 2023/54", text="", group=0),
    Case(["ラムサール", "らむさーる", "ﾗﾑｻｰﾙ"], named="2022/57 2023/56", text="", group=0),
    Case(["再生可能エネルギー"], named="2022/51 2022/55 2022/56 2023/50 2023/54 2023/55", text="", group=0),
    Case(["木材"], named="2022/15 2022/16 2022/19 2022/20 2023/14 2023/15 2023/18 2023/19", text="", group=0),
    Case(["marason", "マラソン"], named="2022/37 2023/36", text="", group=0),
    Case(["kyoto 観光", "京都 観光"], named="2022/22 2022/23 2023/21 2023/22", text="", group=14),
    Case(["長野 観光"], named="2022/23 2023/22 2023/34", text="", group=14),
    Case(["福島 水素"], named="2022/55 2023/54", text="", group=0),
    Case(["北海道 スポーツ"], named="2022/41 2022/49 2023/40 2023/48", text="", group=4),
    Case(["川崎 水道"], named="2022/70 2022/72 2023/69 2023/71", text="", group=0),
    Case(["京都 マラソン"], named="", text="", group=0),
]
QUERIES = [(query, case) for case in CORPUS for query in case.queries]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict:
    """FY2022 and the corpus FY2023 imported and built; the index the CLI answers from."""
    root = tmp_path_factory.mktemp("search")
    data = root / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(".cache"))
    source = root / "r5.txt"
    source.write_bytes(corpus_list(seed_path().read_bytes()))
    with (data / "overrides.yaml").open("a", encoding="utf-8") as handle:
        handle.write('- {surface: 秩父郡長瀬町, year: 2023, code: "113638", note: 長瀞町の誤記}\n')
    assert main(["-q", "import", str(source), "--data", str(data)]) == 0
    pipeline.build(data, root / "site")
    return {"data": data, "site": (root / "site").resolve(), "index": pipeline.search_index(data)}


def key_of(url: str) -> str:
    year, number = re.search(r"(\d{4})/projects/(\d+)/", url).groups()
    return f"{year}/{int(number)}"


def keys(text: str) -> set[str]:
    return set(text.split())


def python_answer(index, query: str) -> dict:
    answer = index.search(query)
    return {
        part: sorted((key_of(index.items[h.item]["u"]), h.reasons) for h in getattr(answer, part))
        for part in ("named", "text", "group")
    }


@pytest.mark.parametrize(("query", "case"), QUERIES, ids=[q for q, _ in QUERIES])
def test_corpus_on_the_command_line(corpus, capsys, query, case):
    assert main(["search", query, "--data", str(corpus["data"]), "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert {key_of(h["path"]) for h in printed["named"]} == keys(case.named)
    assert {key_of(h["path"]) for h in printed["text"]} == keys(case.text)
    assert len(printed["group"]) == case.group


def test_the_corpus_has_forty_queries_or_more():
    assert len(QUERIES) >= 40


# --- rules over every place ------------------------------------------------------------------

HALF_WIDTH = {}
for code in range(0xFF61, 0xFFA0):
    HALF_WIDTH.setdefault(unicodedata.normalize("NFKC", chr(code)), chr(code))
SUFFIX_KANA = {
    "都": ["と"],
    "府": ["ふ"],
    "県": ["けん"],
    "市": ["し"],
    "町": ["まち", "ちょう"],
    "村": ["むら", "そん"],
    "区": ["く"],
}


def katakana(hiragana: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in hiragana)


def half_width(katakana_text: str) -> str:
    out = []
    for char in katakana_text:
        if char in HALF_WIDTH:
            out.append(HALF_WIDTH[char])
            continue
        base, *marks = unicodedata.normalize("NFD", char)
        out.append(HALF_WIDTH.get(base, base) + "".join({"\u3099": "ﾞ", "\u309a": "ﾟ"}.get(m, m) for m in marks))
    return "".join(out)


def spellings(place) -> set[str]:
    """How a person may write the place: made here from the reference list, independently of the
    site's own keys — kanji with and without suffix, hiragana, katakana, half-width katakana,
    romaji with long vowels (kyouto) and without (kyoto)."""
    names = {place.name}
    kanas = {place.kana}
    if place.name[-1] in SUFFIX_KANA and len(place.name) > 1:
        names.add(place.name[:-1])
        kanas |= {place.kana[: -len(r)] for r in SUFFIX_KANA[place.name[-1]] if place.kana.endswith(r)}
    found = set(names) | kanas
    for kana in kanas:
        found |= {katakana(kana), half_width(katakana(kana))}
    base = place.romaji.split("-")[0].lower()
    found |= {base, hepburn(min(kanas, key=len))}
    return {spelling for spelling in found if spelling}


class ProjectLinks(HTMLParser):
    """Project links of a place page in the parts that list projects naming the place."""

    PARTS = ("named-h", "past-h", "remarks-h", "year-h", "uses-h")

    def __init__(self):
        super().__init__()
        self.part = ""
        self.links: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.part = attrs.get("aria-labelledby", "")
        if tag == "a" and self.part.startswith(self.PARTS) and "/projects/" in attrs.get("href", ""):
            self.links.add(key_of(attrs["href"]))


def listed(site: Path, path: str) -> set[str]:
    parser = ProjectLinks()
    parser.feed((site / path).read_text(encoding="utf-8"))
    return parser.links


@pytest.fixture(scope="session")
def place_queries(corpus) -> list[tuple[str, set[str]]]:
    """Every spelling of every prefecture and every municipality with a page, with the projects the
    pages of all the places spelled so list as naming them."""
    reference = load_reference(corpus["data"])
    site = corpus["site"]
    pages = {code: f"municipalities/{code}/index.html" for code in reference.places}
    places = [p for p in reference.places.values() if p.is_prefecture or (site / pages[p.code]).exists()]
    by_spelling: dict[str, set[str]] = {}
    for place in places:
        page = f"prefectures/{place.slug}/index.html" if place.is_prefecture else pages[place.code]
        for spelling in spellings(place):
            by_spelling.setdefault(spelling, set()).update(listed(site, page))
    assert len(places) > 200 and len(by_spelling) > 1200
    return sorted(by_spelling.items())


def test_every_place_is_found_by_every_spelling_on_the_command_line_index(corpus, place_queries):
    index = corpus["index"]
    wrong = []
    for spelling, expected in place_queries:
        found = {key_of(index.items[h.item]["u"]) for h in index.search(spelling).named}
        if found != expected:
            wrong.append((spelling, sorted(found ^ expected)[:5]))
    assert wrong == []


# --- the browser -----------------------------------------------------------------------------

browser_only = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def search_page(corpus, browser):
    with serving(corpus["site"]) as base:
        context = browser.new_context()
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
        page.goto(base + "search/index.html")
        yield page
        context.close()


def browser_answers(page, queries: list[str]) -> list[dict]:
    return page.evaluate(
        """(queries) => queries.map((q) => {
            const index = window.RenkeiSearch.index;
            const answer = index.search(q);
            const part = (hits) => hits.map((h) => [index.items[h.item].u, h.reasons]);
            return {named: part(answer.named), text: part(answer.text), group: part(answer.group)};
        })""",
        queries,
    )


@browser_only
def test_every_place_is_found_by_every_spelling_in_chromium(search_page, place_queries):
    spellings_ = [spelling for spelling, _ in place_queries]
    answers = browser_answers(search_page, spellings_)
    wrong = [
        (spelling, sorted({key_of(u) for u, _ in answer["named"]} ^ expected)[:5])
        for (spelling, expected), answer in zip(place_queries, answers, strict=True)
        if {key_of(u) for u, _ in answer["named"]} != expected
    ]
    assert wrong == []


@browser_only
def test_the_browser_and_the_command_line_give_the_same_answers(corpus, search_page):
    """Every corpus query, every key of every place and every word of the bureaus and fields,
    through site/query.py and static/search.js: the same parts, projects and reasons."""
    index = corpus["index"]
    data = index.data
    queries = [q for q, _ in QUERIES]
    queries += sorted({key for place in data["places"] for key in place["k"]})
    queries += [*sorted(set(data["bureaus"]) | set(data["fields"])), "ｶﾜｻｷ 水道", "tōkyō marason", "の", "a"]
    answers = browser_answers(search_page, queries)
    for query, answer in zip(queries, answers, strict=True):
        expected = python_answer(index, query)
        got = {part: sorted((key_of(u), reasons) for u, reasons in answer[part]) for part in expected}
        assert got == expected, query


@browser_only
@pytest.mark.parametrize("case", CORPUS, ids=[c.queries[0] for c in CORPUS])
def test_corpus_typed_into_the_search_box(search_page, case):
    page = search_page
    for query in case.queries:
        page.fill("#q", "")
        page.click("#q")
        page.keyboard.type(query, delay=15)
        shown = page.evaluate(
            """() => ({
                named: [...document.querySelectorAll('#results li a')].map((a) => a.href),
                text: [...document.querySelectorAll('#text-part li a')].map((a) => a.href),
                textHidden: document.getElementById('text-part').hidden,
                group: document.querySelector('#group-part summary').textContent,
                groupHidden: document.getElementById('group-part').hidden,
                status: document.getElementById('status').textContent,
            })"""
        )
        assert {key_of(u) for u in shown["named"]} == keys(case.named), query
        assert {key_of(u) for u in shown["text"]} == keys(case.text), query
        assert shown["textHidden"] == (not case.text)
        assert shown["groupHidden"] == (case.group == 0)
        if case.group:
            assert shown["group"] == f"ほかにグループを通じて含まれる事業 {case.group}件", query
        assert shown["status"].startswith(f"{len(keys(case.named))}件")
    assert page.problems == []


@browser_only
def test_an_ambiguous_name_shows_its_places_as_links(search_page):
    page = search_page
    page.fill("#q", "府中")
    note = page.locator("#places p.ambiguous")
    assert "複数の場所に当たります" in note.text_content()
    links = {a.text_content(): a.get_attribute("href") for a in note.locator("a").all()}
    assert links == {
        "東京都府中市": "../municipalities/132063/index.html",
        "広島県府中市": "../municipalities/342084/index.html",
    }


@browser_only
def test_kyoto_never_lists_a_project_that_only_says_tokyo(corpus, search_page):
    index = corpus["index"]
    reference = load_reference(corpus["data"])
    years = pipeline.load_years(corpus["data"], reference)
    names_kyoto = {p.key for y in years for p in y.projects for m in p.mentions if m.pref_code == "26"}
    tokyo_only = {
        f"{p.fiscal_year}/{p.no}"
        for y in years
        for p in y.projects
        if p.key not in names_kyoto
        and "京都" in p.name + p.description + p.remarks
        and "京都" not in (p.name + p.description + p.remarks).replace("東京都", "")
    }
    assert len(tokyo_only) >= 6
    for query in ("京都", "kyoto", "きょうと", "キョウト"):
        in_python = python_answer(index, query)
        [in_browser] = browser_answers(search_page, [query])
        listed_ = {key for key, _ in in_python["named"] + in_python["text"]}
        listed_ |= {key_of(u) for u, _ in in_browser["named"] + in_browser["text"]}
        assert listed_ and listed_ & tokyo_only == set(), query


# --- the search box on every page ----------------------------------------------------------


@browser_only
def test_suggestions_while_typing_are_a_keyboard_combobox(corpus, page):
    with serving(corpus["site"]) as base:
        page.goto(base + "2022/projects/001/index.html")
        box = page.locator("#site-q")
        assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
        box.click()
        page.keyboard.type("きょうと")
        page.wait_for_selector("#site-q-list:not([hidden]) [role=option]")
        assert box.get_attribute("aria-expanded") == "true"
        options = page.locator("#site-q-list [role=option] .label").all_text_contents()
        assert options[:2] == ["京都府", "京都府京都市"] and options[-1] == "「きょうと」で検索"
        page.keyboard.press("ArrowDown")
        first = page.locator("#site-q-list [role=option]").first
        assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
        assert first.get_attribute("aria-selected") == "true"
        page.keyboard.press("Escape")
        assert box.get_attribute("aria-expanded") == "false" and page.locator("#site-q-list").is_hidden()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_url("**/prefectures/kyoto/index.html")
    assert page.problems == []


@browser_only
def test_suggestions_work_from_disk(corpus, page):
    page.goto((corpus["site"] / "index.html").as_uri())
    page.click("#home-q")
    page.keyboard.type("kawasaki")
    page.wait_for_selector("#home-q-list:not([hidden]) [role=option]")
    labels = page.locator("#home-q-list [role=option] .label").all_text_contents()
    assert labels[:2] == ["神奈川県川崎市", "宮城県川崎町"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/municipalities/141305/index.html")
    requests = [p.removeprefix("outside request: ") for p in page.problems if p.startswith("outside request")]
    assert requests and all(url.startswith(corpus["site"].as_uri()) for url in requests)  # the site's own files


@browser_only
def test_open_suggestions_have_no_serious_accessibility_violations(corpus, page):
    from axe_playwright_python.sync_playwright import Axe

    with serving(corpus["site"]) as base:
        page.goto(base + "prefectures/nagano/index.html")
        page.click("#site-q")
        page.keyboard.type("なが")
        page.wait_for_selector("#site-q-list:not([hidden]) [role=option]")
        page.keyboard.press("ArrowDown")
        results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
