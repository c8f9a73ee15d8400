"""Score renkei-site's reading of a hand-checked list against its expected partner tuples.

    python tests/corpus/score.py [LIST] [EXPECTED]

Defaults: r5_other_hands.tsv and r5_other_hands.expected.yaml next to this file.
The project's data/ is copied to a temporary folder (without the year folders),
LIST is imported there as fiscal year 2023, the partners are exported as CSV and
`check` is run; the export is then compared with EXPECTED.  A tuple is

    (no, role, kind, code)              prefecture / municipality (wards too)
    (no, role, 'group', members)        members as a set of codes (from the project's groups.yaml)
    (no, role, 'other', code)           a body, with the code of the place it is in ("" if none)
    (no, role, 'ambiguous', candidates)

A group whose members are not determinable (members: null) is matched by name.
This is a measuring tool, not a test: it always exits 0.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
YEAR = "2023"
PLACE_KINDS = {"prefecture", "municipality"}
MUNI_KINDS = {"municipality", "city", "town", "village", "special_ward", "ward"}
ROLE_CELL = {"current": 5, "past": 6, "remarks": 8}
GROUPS_SNIPPET = """
import json, sys
from pathlib import Path
from renkei_site.resolve.reference import load_reference
ref = load_reference(Path(sys.argv[1]))
out = {}
for name, g in ref.groups.items():
    m = g.members
    out[name] = None if m is None else [str(x) for x in m]
print(json.dumps(out, ensure_ascii=False))
"""


@dataclass(frozen=True)
class Tup:
    no: int
    role: str
    kind: str
    key: object  # code, frozenset of codes, or None (group not determinable)
    name: str = field(default="", compare=False)
    surface: str = field(default="", compare=False)
    column: str = field(default="", compare=False)
    qualifier: str = field(default="", compare=False)


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", check=False)


def copy_data(dst: Path) -> None:
    src = REPO / "data"
    dst.mkdir(parents=True)
    for item in src.iterdir():
        if item.is_dir() and re.fullmatch(r"20\d\d", item.name):
            continue
        if item.is_dir():
            shutil.copytree(item, dst / item.name)
        else:
            shutil.copy2(item, dst / item.name)


def read_reference_names() -> dict[str, str]:
    names: dict[str, str] = {}
    rows = list(csv.DictReader((REPO / "data/reference/municipalities.csv").open(encoding="utf-8")))
    by_code = {r["code"]: r for r in rows}
    pref = {r["pref_code"]: r["name"] for r in rows if r["kind"] == "prefecture"}
    for r in rows:
        if r["kind"] == "prefecture":
            names[r["code"]] = r["name"]
        else:
            parent = by_code[r["parent_code"]]["name"] if r["parent_code"] in by_code else ""
            names[r["code"]] = pref.get(r["pref_code"], "") + (r["gun"] or "") + parent + r["name"]
    return names


def read_cells(path: Path) -> dict[int, list[str]]:
    """The rows of a tab-separated list (no cell text for other formats)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    for enc in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        return {}
    rows: dict[int, list[str]] = {}
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) >= 9 and cells[0].strip().isdigit():
            rows[int(cells[0])] = cells
    return rows


def load_expected(path: Path, groups_ok: bool) -> list[Tup]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    out: list[Tup] = []
    for row in data:
        no = int(row["no"] if "no" in row else row[False])  # YAML 1.1 reads the key `no` as false
        for p in row.get("partners") or []:
            role, kind = p["role"], p["kind"]
            if kind in PLACE_KINDS:
                out.append(Tup(no, role, kind, str(p["code"])))
            elif kind == "other":
                out.append(Tup(no, role, "other", str(p.get("code") or ""), name=p.get("note", "")))
            elif kind == "ambiguous":
                out.append(Tup(no, role, "ambiguous", frozenset(str(c) for c in p["candidates"])))
            elif kind == "group":
                members = p.get("members")
                key = frozenset(str(m) for m in members) if members is not None and groups_ok else None
                out.append(Tup(no, role, "group", key, name=p.get("name", "")))
            else:
                raise ValueError(f"{path}: No.{no}: unknown kind {kind!r}")
    return out


def load_actual(export_csv: str, groups: dict[str, list[str] | None] | None) -> tuple[list[Tup], list[dict[str, str]]]:
    tuples: list[Tup] = []
    texts: list[dict[str, str]] = []
    for r in csv.DictReader(io.StringIO(export_csv)):
        if r.get("fiscal_year") != YEAR:
            continue
        no, role, kind = int(r["no"]), r["role"], r["kind"]
        extra = {
            "name": r.get("name", ""),
            "surface": r.get("surface", ""),
            "column": r.get("column", ""),
            "qualifier": r.get("qualifier", ""),
        }
        if kind == "none":
            continue
        if kind in ("text", "unresolved"):
            texts.append(r)
            continue
        if kind in MUNI_KINDS:
            kind = "municipality"
        if kind in PLACE_KINDS or kind == "other":
            tuples.append(Tup(no, role, kind, r.get("lg_code", ""), **extra))
        elif kind == "ambiguous" or (r.get("ambiguous") and not r.get("lg_code")):
            tuples.append(Tup(no, role, "ambiguous", frozenset(r["ambiguous"].split()), **extra))
        elif kind == "group":
            members = groups.get(r["name"]) if groups is not None else None
            key = frozenset(members) if members else None
            tuples.append(Tup(no, role, "group", key, **extra))
        else:
            tuples.append(Tup(no, role, kind, r.get("lg_code", ""), **extra))
    return list(dict.fromkeys(tuples)), texts


def names_overlap(a: str, b: Tup) -> bool:
    return bool(a) and any(a and s and (a in s or s in a) for s in (b.name, b.surface))


def match(expected: list[Tup], actual: list[Tup]) -> tuple[list[Tup], list[Tup], list[Tup]]:
    exp = list(dict.fromkeys(expected))
    act_left = list(actual)
    matched: list[Tup] = []
    missing: list[Tup] = []
    pending: list[Tup] = []
    for e in exp:
        if e.key is None:
            pending.append(e)
            continue
        hit = next((a for a in act_left if a == e), None)
        if hit is None:
            missing.append(e)
        else:
            act_left.remove(hit)
            matched.append(e)
    for e in pending:  # groups matched by name: not determinable, or no member list from the project
        hit = next(
            (
                a
                for a in act_left
                if a.no == e.no and a.role == e.role and a.kind == "group" and names_overlap(e.name, a)
            ),
            None,
        )
        if hit is None:
            missing.append(e)
        else:
            act_left.remove(hit)
            matched.append(e)
    return matched, missing, act_left


def describe(t: Tup, names: dict[str, str]) -> str:
    if t.kind in PLACE_KINDS or t.kind == "other":
        label = names.get(str(t.key), "") if t.key else "(no place)"
        s = f"{t.kind} {t.key or '-'} {label}"
        if t.kind == "other" and t.name:
            s += f" [{t.name}]"
    elif t.kind == "ambiguous":
        s = "ambiguous {" + ", ".join(f"{c} {names.get(c, '')}" for c in sorted(t.key)) + "}"
    elif t.kind == "group":
        n = "?" if t.key is None else str(len(t.key))
        s = f"group {t.name or '?'} ({n} members)"
    else:
        s = f"{t.kind} {t.key}"
    if t.surface:
        s += f"  surface 「{t.surface}」"
    if t.qualifier:
        s += f" qualifier 「{t.qualifier}」"
    return s


def cell_for(cells: dict[int, list[str]], no: int, role: str, column: str = "") -> str:
    row = cells.get(no)
    if not row:
        return ""
    col = column or role
    idx = ROLE_CELL.get(col, ROLE_CELL.get(role, 5))
    text = row[idx].strip() if idx < len(row) else ""
    if not column and "※備考欄" in text and len(row) > 8:
        text += f"  / 備考: {row[8].strip()}"
    return text


def score(list_path: Path, expected_path: Path) -> None:
    names = read_reference_names()
    cells = read_cells(list_path)
    with tempfile.TemporaryDirectory(prefix="renkei-corpus-") as tmp:
        data = Path(tmp) / "data"
        copy_data(data)
        py = sys.executable
        imp = run(
            [py, "-m", "renkei_site.cli", "import", str(list_path), "--data", str(data), "--year", YEAR], Path(tmp)
        )
        if imp.returncode != 0:
            print(f"import failed (exit {imp.returncode}):\n{imp.stdout}{imp.stderr}")
            return
        exp = run(
            [py, "-m", "renkei_site.cli", "export", "partners", "--year", YEAR, "--format", "csv", "--data", str(data)],
            Path(tmp),
        )
        if exp.returncode != 0:
            print(f"export failed (exit {exp.returncode}):\n{exp.stdout}{exp.stderr}")
            return
        chk = run([py, "-m", "renkei_site.cli", "check", "--data", str(data)], Path(tmp))
        grp = run([py, "-c", GROUPS_SNIPPET, str(data)], Path(tmp))
    groups: dict[str, list[str] | None] | None
    try:
        groups = json.loads(grp.stdout) if grp.returncode == 0 else None
    except json.JSONDecodeError:
        groups = None
    check_lines = [ln for ln in (chk.stdout + chk.stderr).splitlines() if ln.strip()]

    expected = load_expected(expected_path, groups is not None)
    actual, texts = load_actual(exp.stdout, groups)
    matched, missing, extra = match(expected, actual)
    n_exp, n_act, n_ok = len(dict.fromkeys(expected)), len(actual), len(matched)
    precision = n_ok / n_act if n_act else 0.0
    recall = n_ok / n_exp if n_exp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    print(f"list: {list_path}\nexpected: {expected_path}")
    if groups is None:
        print("groups: the project's member lists could not be read; groups are matched by name")
    print(f"\nexpected tuples {n_exp}, exported tuples {n_act}, matched {n_ok}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print("\nby kind (matched / expected):")
    for kind in ("prefecture", "municipality", "group", "other", "ambiguous"):
        e = sum(1 for t in dict.fromkeys(expected) if t.kind == kind)
        m = sum(1 for t in matched if t.kind == kind)
        if e:
            print(f"  {kind:12} {m:4} / {e:<4}")

    print(f"\nmissing ({len(missing)}):")
    for t in sorted(missing, key=lambda t: (t.no, t.role)):
        print(f"  No.{t.no} {t.role}: {describe(t, names)}\n      cell: {cell_for(cells, t.no, t.role)}")
    print(f"\nextra ({len(extra)}):")
    for t in sorted(extra, key=lambda t: (t.no, t.role)):
        print(f"  No.{t.no} {t.role}: {describe(t, names)}\n      cell: {cell_for(cells, t.no, t.role, t.column)}")

    row_codes: dict[int, set[str]] = {}
    for t in expected:
        codes = row_codes.setdefault(t.no, set())
        if isinstance(t.key, frozenset):
            codes.update(t.key if t.kind == "ambiguous" else ())
        elif t.key:
            codes.add(str(t.key))
    silent = []
    for t in extra:
        if t.kind not in PLACE_KINDS or str(t.key) in row_codes.get(t.no, set()):
            continue
        lines = [ln for ln in check_lines if re.search(rf"No\.{t.no}\b", ln)]
        if not any(t.surface and t.surface in ln for ln in lines):
            silent.append(t)
    print(
        f"\nsilent misreadings ({len(silent)}): extra places with a code the row does not expect, "
        "not named in `check`'s review"
    )
    for t in silent:
        print(f"  No.{t.no} {t.role}: {describe(t, names)}\n      cell: {cell_for(cells, t.no, t.role, t.column)}")

    unresolved = [r for r in texts if r["kind"] == "unresolved"]
    print(f"\ntext mentions {len(texts) - len(unresolved)}, unresolved mentions {len(unresolved)}:")
    for r in texts:
        q = f" qualifier 「{r['qualifier']}」" if r.get("qualifier") else ""
        print(f"  No.{r['no']} {r['role']} {r['kind']}: 「{r['surface']}」{q}")

    print(f"\ncheck ({chk.returncode}):")
    for ln in check_lines:
        print(f"  {ln}")


def main(argv: list[str]) -> int:
    list_path = Path(argv[1]) if len(argv) > 1 else HERE / "r5_other_hands.tsv"
    expected_path = Path(argv[2]) if len(argv) > 2 else HERE / "r5_other_hands.expected.yaml"
    try:
        score(list_path.resolve(), expected_path.resolve())
    except Exception:
        traceback.print_exc()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
