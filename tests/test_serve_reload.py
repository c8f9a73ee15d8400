"""`renkei-site serve` reloads an open page after a save (issue 25): the reload script only serve
adds, the event stream that tells a page its file changed, the scan that notices a save and the
settling that makes a burst of saves one build; and in headless Chromium, a note saved in data/
on screen without a manual reload, an unrelated page left alone, nothing after a failed build."""

from __future__ import annotations

import os
import queue
import re
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import CHROMIUM, LOCAL, generations_left, visible_files
from hypothesis import assume, given
from hypothesis import strategies as st
from test_locks import cli_process

from renkei_site import cache, reload
from renkei_site.serve import Watcher, scan, serving

GOLDEN_SITE = Path(__file__).resolve().parent / "golden" / "site"
TAG = re.compile(rb'<script src="/__renkei-site/reload\.js" data-digest="([0-9a-f]{64})" defer></script>\n')


# --- the script tag ---


def test_every_page_of_the_golden_site_gets_one_tag_in_its_head_with_the_digest_of_its_bytes():
    pages = sorted(GOLDEN_SITE.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        html = path.read_bytes()
        sent = reload.served(html)
        tags = TAG.findall(sent)
        assert tags == [reload.digest(html).encode()], path
        assert sent.index(b"/__renkei-site/reload.js") < sent.index(b"</head>") < sent.index(b"<body"), path
        assert TAG.sub(b"", sent) == html, path


@given(st.binary(max_size=300), st.sampled_from([b"</head>", b"</HEAD >", b"</body>", b""]))
def test_the_tag_is_all_that_is_added_whatever_the_bytes(before, end):
    assume(b"</" not in before)
    html = before + end + b"<p>after</p>"
    sent = reload.served(html)
    assert TAG.sub(b"", sent, count=1) == html
    assert sent.count(b"data-digest=") == html.count(b"data-digest=") + 1
    if end:
        assert sent.index(b"/__renkei-site/") < sent.index(end, len(before))


def test_no_file_of_a_built_site_names_the_reload_script():
    hits = [p for p, data in visible_files(GOLDEN_SITE).items() if b"__renkei-site" in data or b"EventSource" in data]
    assert hits == []


# --- noticing a save ---


def test_the_scan_sees_what_build_fingerprints(tmp_path):
    data = tmp_path / "data"
    (data / "notes" / "projects" / "2022").mkdir(parents=True)
    (data / ".cache").mkdir()
    (data / ".cache" / "records.pickle").write_bytes(b"x")
    (data / ".hidden.md").write_text("x")
    (data / "overrides.yaml").write_text("{}\n")
    note = data / "notes" / "projects" / "2022" / "001.md"
    note.write_text("a\n")
    first = scan([data, tmp_path / "templates-not-there"])
    assert set(first) == {str(p) for p in cache.files_under(data)} == {str(note), str(data / "overrides.yaml")}
    note.write_text("ab\n")  # same second, other size
    assert scan([data]) != first
    os.replace(data / "overrides.yaml", data / "moved.yaml")
    assert set(scan([data])) == {str(note), str(data / "moved.yaml")}


def test_a_burst_of_saves_is_one_build_of_its_end():
    states = iter([{"a": 1}, {"a": 2}, {"a": 3}, {"a": 4}, {"a": 4}, {"a": 4}, {"a": 4}])
    watcher = Watcher(lambda: next(states))
    answers = [watcher.poll() for _ in range(6)]
    assert answers == [False, False, False, True, False, False]  # built once, after it held still
    assert watcher.built == {"a": 4}


def test_a_save_while_building_is_built_again_and_no_state_twice():
    states = iter([{"a": 1}, {"a": 2}, {"a": 2}, {"a": 3}, {"a": 3}, {"a": 3}, {"a": 3}])
    watcher = Watcher(lambda: next(states))
    assert [watcher.poll() for _ in range(6)] == [False, True, False, True, False, False]


# --- the event stream ---


def generation(gens: Path, name: str, files: dict[str, bytes], previous: Path | None = None) -> Path:
    """A generation folder as the writer makes one: unchanged files hard-linked to ``previous``."""
    folder = gens / name
    for path, data in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if previous is not None and (previous / path).is_file() and (previous / path).read_bytes() == data:
            os.link(previous / path, target)
        else:
            target.write_bytes(data)
    return folder


def swap(out: Path, folder: Path) -> None:
    temporary = out.with_name(".link")
    temporary.symlink_to(folder.name if folder.parent == out.parent else os.path.relpath(folder, out.parent))
    os.replace(temporary, out)


class Stream:
    """An event stream read in a thread, line by line."""

    def __init__(self, url: str):
        self.lines: queue.Queue[str] = queue.Queue()
        self.answer = urllib.request.urlopen(url, timeout=30)
        threading.Thread(target=self.read, daemon=True).start()

    def read(self) -> None:
        with self.answer:
            for line in self.answer:
                self.lines.put(line.decode())
        self.lines.put("(closed)")

    def events(self, seconds: float) -> list[str]:
        """The lines that came in ``seconds`` (until the stream closed)."""
        found, deadline = [], time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                found.append(self.lines.get(timeout=left))
            except queue.Empty:
                break
            if found[-1] == "(closed)":
                break
        return found


PAGE = b"<!doctype html><html><head><title>a</title><link rel=stylesheet href=/static/style.css></head><body>a</body></html>"
OTHER = b"<!doctype html><html><head><title>b</title></head><body>b</body></html>"


@pytest.fixture
def live(tmp_path):
    """A site of two pages and a stylesheet as two generations would have it, served as serve does."""
    gens = tmp_path / "_site.gens"
    files = {"a/index.html": PAGE, "b/index.html": OTHER, "static/style.css": b"p{}"}
    out = tmp_path / "_site"
    swap(out, generation(gens, "g1", files))
    state = reload.Live()
    with serving(out, live=state) as base:
        yield {"out": out, "gens": gens, "files": files, "base": base, "live": state}


def events_url(base: str, page: str, page_bytes: bytes, assets: list[str]) -> str:
    query = urlencode([("page", page), ("digest", reload.digest(page_bytes)), *[("asset", a) for a in assets]])
    return f"{base}__renkei-site/events?{query}"


def test_a_page_reloads_when_its_file_changes_and_not_when_another_does(live):
    base, files = live["base"], live["files"]
    page_a = Stream(events_url(base, "/a/", PAGE, ["/static/style.css"]))
    page_b = Stream(events_url(base, "/b/", OTHER, []))
    assert page_a.events(0.3) == page_b.events(0.3) == ["retry: 500\n", "\n"]
    assert live["live"].is_open("a/index.html") and live["live"].is_open("b/index.html")  # built first
    g2 = generation(live["gens"], "g2", {**files, "a/index.html": PAGE + b"<!-- new note -->"}, live["out"].resolve())
    swap(live["out"], g2)  # b/index.html and the stylesheet are hard links: the same files
    assert page_a.events(3) == ["event: reload\n", "data: \n", "\n", "(closed)"]
    assert page_b.events(0.3) == []
    assert not live["live"].is_open("a/index.html") and live["live"].is_open("b/index.html")


def test_a_page_reloads_when_its_stylesheet_changes(live):
    base = live["base"]
    page_a = Stream(events_url(base, "/a/index.html", PAGE, ["/static/style.css"]))
    assert page_a.events(0.2) == ["retry: 500\n", "\n"]
    (live["out"] / "static" / "style.css").write_bytes(b"p{color:red}")
    assert page_a.events(3)[0] == "event: reload\n"


def test_a_page_sent_before_the_last_build_reloads_at_once_and_one_rewritten_alike_does_not(live):
    base = live["base"]
    stale = Stream(events_url(base, "/a/", b"what the page showed before the swap", []))
    assert stale.events(3)[-2:] == ["\n", "(closed)"]
    same = Stream(events_url(base, "/b/", OTHER, []))
    (live["out"] / "b" / "index.html").write_bytes(OTHER)  # a new mtime, the same bytes
    assert same.events(0.3) == ["retry: 500\n", "\n"]


def get(url: str, method: str = "GET") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def test_serve_sends_pages_with_the_script_and_everything_else_as_it_is(live):
    base = live["base"]
    status, headers, body = get(base + "a/")
    assert (status, body) == (200, reload.served(PAGE))
    assert headers["Cache-Control"] == "no-cache" and headers["Content-Type"] == "text/html"
    status, headers, body = get(base + "a/", "HEAD")
    assert (status, int(headers["Content-Length"]), body) == (200, len(reload.served(PAGE)), b"")
    assert get(base + "static/style.css")[2] == b"p{}"
    assert get(base + "__renkei-site/reload.js")[::2] == (200, reload.SCRIPT)
    assert get(base + "a")[0] == 200  # the folder's redirect, followed
    assert get(base + "nothing/")[0] == 404
    assert get(base + "__renkei-site/events?page=/a/")[0] == 400


def test_an_address_no_file_can_have_is_a_page_gone_not_a_traceback(live, capsys):
    stream = Stream(f"{live['base']}__renkei-site/events?page=/a%00&digest=x&asset=/static/b%00c")
    assert stream.events(3) == ["retry: 500\n", "\n", "event: reload\n", "data: \n", "\n", "(closed)"]
    assert "Traceback" not in capsys.readouterr().err


def test_the_plain_server_of_the_tests_adds_nothing(live):
    with serving(live["out"]) as base:
        assert get(base + "a/")[2] == PAGE
        assert get(base + "__renkei-site/reload.js")[0] == 404


# --- in a browser ---


class Serve:
    """`renkei-site serve` in a subprocess, its output read in a thread."""

    def __init__(self, data: Path, out: Path):
        self.process = cli_process("serve", "--data", str(data), "--out", str(out), "--port", "0")
        self.lines: list[str] = []
        self.seen = threading.Condition()
        threading.Thread(target=self.read, daemon=True).start()
        self.base = self.wait_for(lambda line: line.startswith("serving ")).split(" on ")[1].split()[0]

    def read(self) -> None:
        for line in self.process.stdout:
            with self.seen:
                self.lines.append(line)
                self.seen.notify_all()

    def wait_for(self, wanted, after: int = 0, timeout: float = 60) -> str:
        """The first line from number ``after`` on that ``wanted`` accepts."""
        with self.seen:
            for _ in range(int(timeout * 10)):
                found = [line for line in self.lines[after:] if wanted(line)]
                if found:
                    return found[0]
                self.seen.wait(0.1)
        raise AssertionError(f"serve never said it: {self.lines}")

    def stop(self) -> str:
        self.process.terminate()
        return self.process.communicate(timeout=10)[1]


def test_serve_readies_a_spare_so_the_first_save_writes_only_what_changed(data_2022, tmp_path):
    """Once its first build is served, serve links the site into a spare generation: the first
    note saved is then written into it as every later one is (a few files, not one link per
    page of the whole site), and the live site before it keeps its files."""
    out = tmp_path / "_site"
    server = Serve(data_2022, out)
    try:
        live, spare = (out.parent / f"{out.name}.gens" / name for name in generations_left(out))
        files = [p.relative_to(live) for p in live.rglob("*") if p.is_file() and p.name != ".manifest.json"]
        assert len(files) > 2000 and all((spare / f).stat().st_ino == (live / f).stat().st_ino for f in files)
        spare_folder = spare.stat().st_ino
        notes = data_2022 / "notes" / "projects" / "2022"
        notes.mkdir(parents=True)
        lines = len(server.lines)
        (notes / "001.md").write_text("最初の注記\n", encoding="utf-8")
        rebuilt = server.wait_for(lambda line: line.startswith(("rebuilt ", "build failed")), lines)
        assert re.match(r"rebuilt \d+ files \((\d+) written\)", rebuilt), rebuilt
        assert int(re.match(r"rebuilt \d+ files \((\d+) written\)", rebuilt).group(1)) < 20
        assert out.resolve().stat().st_ino == spare_folder  # the spare, brought up to date, is live
        assert len(generations_left(out)) == 2 and live.is_dir()
        assert "最初の注記" not in (live / "2022/projects/001/index.html").read_text(encoding="utf-8")
    finally:
        err = server.stop()
    assert "Traceback" not in err


HIDE = """() => {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
  document.dispatchEvent(new Event('visibilitychange'));
}"""
SHOW = """() => {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
  document.dispatchEvent(new Event('visibilitychange'));
}"""


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_a_saved_note_is_on_screen_without_a_reload_and_nothing_else_moves(data_2022, tmp_path, page):
    out = tmp_path / "_site"
    server = Serve(data_2022, out)
    try:
        outside = []  # requests of every tab that leave 127.0.0.1
        page.context.on("request", lambda r: None if r.url.startswith((LOCAL, "data:")) else outside.append(r.url))
        other, hidden = page.context.new_page(), page.context.new_page()
        for tab, path in ((page, "2022/projects/001/"), (other, "2022/projects/002/"), (hidden, "2022/projects/001/")):
            tab.goto(server.base + path)
            tab.evaluate("() => { window.notReloaded = true; }")
        hidden.evaluate(HIDE)
        notes = data_2022 / "notes" / "projects" / "2022"
        notes.mkdir(parents=True)
        lines = len(server.lines)
        (notes / "999.md").write_text("没プロジェクトの注記\n", encoding="utf-8")
        server.wait_for(lambda line: line.startswith("build failed"), lines)
        page.wait_for_timeout(300)  # ten times what a page takes to learn of a change
        assert page.evaluate("() => window.notReloaded") and other.evaluate("() => window.notReloaded")

        lines = len(server.lines)
        (notes / "999.md").unlink()
        (notes / "001.md").write_text("保存したばかりの注記です。\n", encoding="utf-8")
        page.get_by_text("保存したばかりの注記です。").first.wait_for(timeout=40_000)
        assert page.evaluate("() => window.notReloaded === undefined")  # reloaded by the script
        server.wait_for(lambda line: line.startswith("rebuilt "), lines)
        page.wait_for_timeout(300)
        assert other.evaluate("() => window.notReloaded")  # its page did not change
        assert hidden.evaluate("() => window.notReloaded")  # a hidden tab holds no connection
        hidden.evaluate(SHOW)  # and asks again when shown, with the digest of what it shows
        hidden.get_by_text("保存したばかりの注記です。").first.wait_for(timeout=5_000)
        builds = [line for line in server.lines[lines:] if line.startswith(("rebuilt", "build failed", "no change"))]
        assert len(builds) == 1 and builds[0].startswith("rebuilt ")  # the deletion and the save: one build
        assert page.problems == []  # no console error (a CSP refusal is one), no request off 127.0.0.1
        assert outside == []
    finally:
        err = server.stop()
    assert "Traceback" not in err
    built = visible_files(out)
    assert [p for p, data in built.items() if b"__renkei-site" in data] == []
    assert "保存したばかりの注記です。" in built[Path("2022/projects/001/index.html")].decode()
