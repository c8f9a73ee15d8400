"""Hand-edited data/ gone wrong: a byte that is not UTF-8, a key given twice.  Each is one located
line, exit 1 and nothing written, for `check` and `build`; `serve` reports it and goes on serving
the last good site (and answers a request no file can match, /%00, with a 400)."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from test_locks import cli_process

from renkei_site import reload
from renkei_site.cli import main

TABLES = ["bureaus.yaml", "fields.yaml", "groups.yaml", "normalize.yaml", "overrides.yaml", "2022/projects.yaml"]


def insert_line(path: Path, number: int, line: bytes) -> None:
    """Put ``line`` in as line ``number`` (1-based) of the file."""
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join([*lines[: number - 1], line, *lines[number - 1 :]]))


def problems_of(command: str, data: Path, out: Path, capsys) -> tuple[int, list[str]]:
    args = [command, "--data", str(data)] + (["--out", str(out)] if command == "build" else [])
    code = main(args)
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("table", TABLES)
def test_a_byte_that_is_not_utf8_is_one_located_line(data_2022, tmp_path, capsys, command, table):
    insert_line(data_2022 / table, 3, b"# caf\xe9 (Latin-1)\n")
    code, lines = problems_of(command, data_2022, tmp_path / "_site", capsys)
    assert code == 1
    assert lines == [
        f"{data_2022 / table}:3: not UTF-8 text: byte 0xe9 at column 6 (save the file as UTF-8)",
        f"renkei-site {command}: 1 problem; nothing written",
    ]
    assert not (tmp_path / "_site").exists()


def duplicate_fiscal_year(data: Path) -> tuple[Path, int, str]:
    records = data / "2022" / "projects.yaml"
    first = records.read_text(encoding="utf-8").splitlines().index("fiscal_year: 2022") + 1
    insert_line(records, first + 1, b"fiscal_year: 2023\n")
    return records, first + 1, f"duplicate key 'fiscal_year' (first at line {first})"


def duplicate_name(data: Path) -> tuple[Path, int, str]:
    records = data / "2022" / "projects.yaml"
    lines = records.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, start=1) if line.startswith("  name: "))
    insert_line(records, first + 1, "  name: 別の名前\n".encode())
    return records, first + 1, f"duplicate key 'name' (first at line {first})"


def duplicate_slug(data: Path) -> tuple[Path, int, str]:
    bureaus = data / "bureaus.yaml"
    lines = bureaus.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, start=1) if line.startswith("- slug: "))
    insert_line(bureaus, first + 1, b"  slug: another\n")
    return bureaus, first + 1, f"duplicate key 'slug' (first at line {first})"


def duplicate_override_key(data: Path) -> tuple[Path, int, str]:
    overrides = data / "overrides.yaml"
    with overrides.open("a", encoding="utf-8") as handle:
        handle.write("- surface: 秩父郡長瀬町\n  code: '113638'\n  code: '113620'\n")
    count = len(overrides.read_text(encoding="utf-8").splitlines())
    return overrides, count, f"duplicate key 'code' (first at line {count - 1})"


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("damage", [duplicate_fiscal_year, duplicate_name, duplicate_slug, duplicate_override_key])
def test_a_key_given_twice_is_an_error_naming_both_lines(data_2022, tmp_path, capsys, command, damage):
    file, line, message = damage(data_2022)
    code, lines = problems_of(command, data_2022, tmp_path / "_site", capsys)
    assert code == 1
    assert lines == [f"{file}:{line}: not valid YAML: {message}", f"renkei-site {command}: 1 problem; nothing written"]
    assert not (tmp_path / "_site").exists()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_serve_keeps_serving_the_last_good_site_through_bad_bytes_and_bad_paths(data_2022, tmp_path):
    out = tmp_path / "_site"
    server = cli_process("serve", "--data", str(data_2022), "--out", str(out), "--port", "0")
    try:
        base = next(line.split(" on ")[1].split()[0] for line in server.stdout if line.startswith("serving "))
        page = base + "2022/projects/055/index.html"
        assert get(page)[0] == 200
        insert_line(data_2022 / "overrides.yaml", 3, b"# \xff\n")
        failed = next(line for line in server.stdout if "build failed" in line or "overrides.yaml" in line)
        assert f"{data_2022 / 'overrides.yaml'}:3: not UTF-8 text" in failed
        for bad in ("%00", "index.html%00.html", "%ff%fe", "2022/%00/index.html"):
            assert get(base + bad)[0] in (400, 404), bad
        last_good = (out / "2022/projects/055/index.html").read_bytes()
        assert get(page) == (200, reload.served(last_good).decode())  # with serve's reload script
        assert server.poll() is None
    finally:
        server.terminate()
        _, err = server.communicate(timeout=10)
    assert "Traceback" not in err
