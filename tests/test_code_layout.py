"""The package's folders are the pipeline's stages: each module imports only from its own
stage, lower stages and the shared modules, and no import circle exists anywhere."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "renkei_site"

# Lower number = lower stage.  A module may import from its own rank or below.
RANKS = {
    "source": 0,  # where a row, record or problem came from
    "errors": 0,
    "cache": 0,
    "faults": 0,
    "forks": 0,
    "yamlio": 0,
    "locks": 0,
    "transaction": 0,
    "reads": 0,  # what a page read while it rendered
    "parts": 0,  # parts of big files kept between builds
    "read": 1,
    "resolve": 2,
    "records": 3,
    "years": 4,
    "notes": 4,  # editors' pages and notes, checked against the years
    "model": 5,
    "site": 6,
    "pipeline": 7,
    "serve": 8,
    "reload": 8,  # what serve adds to the pages it sends
    "cli": 9,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__")


def stage(module: str) -> str:
    return module.split(".")[0]


def imports(path: Path) -> set[str]:
    """Package modules a file imports (at the top or inside functions), as dotted names."""
    here = module_name(path).split(".")
    package = here[:-1] if path.name != "__init__.py" else here
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1] if node.level > 1 else package
            target = [*base, *(node.module.split(".") if node.module else [])]
            if node.module:
                found.add(".".join(target))
            else:
                found.update(".".join([*target, alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("renkei_site."):
            found.add(node.module.removeprefix("renkei_site."))
    return {name for name in found if name and (PACKAGE / f"{name.replace('.', '/')}.py").exists()}


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}


def test_every_module_sits_in_a_known_stage():
    assert {stage(m) for m in graph()} <= set(RANKS)


def test_a_module_imports_only_its_own_stage_lower_stages_and_shared_modules():
    wrong = [
        f"{module} ({stage(module)}) imports {target} ({stage(target)})"
        for module, targets in graph().items()
        for target in targets
        if RANKS[stage(target)] > RANKS[stage(module)]
    ]
    assert wrong == []


def test_no_import_circle():
    edges = graph()
    state: dict[str, str] = {}
    circles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                circles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert circles == []


def test_the_checker_sees_imports_inside_functions():
    assert "read.table" in graph()["read.layout"]
    assert "site.build" in graph()["pipeline"]  # imported lazily, inside build()
