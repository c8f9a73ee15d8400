"""YAML in and out: readable Japanese, stable key order, fast C loader and emitter, line lookup.

Reading refuses what PyYAML would let pass silently: a key given twice in one mapping (the
second ``fiscal_year:`` would win) is an error naming both lines, and a file that is not UTF-8
is an error at the line of its first bad byte; ``load`` raises every such problem as an
InputError located in the file.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import yaml
from yaml.error import MarkedYAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import InputError, Problem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MERGE = "tag:yaml.org,2002:merge"


class DuplicateKeyError(MarkedYAMLError):
    """A mapping names one key twice: YAML forbids it, and PyYAML would keep the last silently."""


class Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader (C parser where there is one) that refuses duplicate keys."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        if isinstance(node, MappingNode):
            keys = [key.value for key, _ in node.value if isinstance(key, ScalarNode) and key.tag != MERGE]
            if len(set(keys)) != len(keys):  # as written: `no:` and `'no':` are one key to a reader
                _refuse_duplicate(node)
        return super().construct_mapping(node, deep=deep)


TAG = "tag:yaml.org,2002:"
OPTIONS = {"allow_unicode": True, "sort_keys": False, "width": 10_000, "default_flow_style": False}
_resolved: dict[tuple[str, tuple[bool, bool]], str] = {}  # (scalar, implicit) -> its tag


class Dumper(_BaseDumper):  # type: ignore[misc,valid-type]
    """Block style, literal blocks for text with line breaks."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """The resolver's tag for a scalar, worked out once per text (the emitter asks twice for
        every scalar, and a year's records repeat most of theirs)."""
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        if key not in _resolved:
            if len(_resolved) > 100_000:
                _resolved.clear()
            _resolved[key] = super().resolve(kind, value, implicit)
        return _resolved[key]


def _style(value: str) -> str | None:
    return "|" if "\n" in value and not value.endswith((" ", "\t")) else None


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(TAG + "str", value, style=_style(value))


Dumper.add_representer(str, _represent_str)


class _Unusual(Exception):
    """Data the shortcut in ``dump`` does not cover (another type, a container met twice)."""


def _node(value: Any, seen: set[int]) -> Node:
    """The node the safe representer (with ``_represent_str``) makes of plain data, made directly."""
    kind = type(value)
    if kind is str:
        return ScalarNode(TAG + "str", value, style=_style(value))
    if kind is dict or kind is list:
        if id(value) in seen:  # the representer would write an alias
            raise _Unusual
        seen.add(id(value))
        if kind is dict:
            pairs = [(_node(key, seen), _node(item, seen)) for key, item in value.items()]
            return MappingNode(TAG + "map", pairs, flow_style=False)
        return SequenceNode(TAG + "seq", [_node(item, seen) for item in value], flow_style=False)
    if kind is int:
        return ScalarNode(TAG + "int", str(value))
    if kind is bool:
        return ScalarNode(TAG + "bool", "true" if value else "false")
    if value is None:
        return ScalarNode(TAG + "null", "null")
    raise _Unusual


def _refuse_duplicate(node: MappingNode) -> None:
    """Raise for the second of two keys written alike (`<<: *base` may repeat keys on purpose)."""
    first: dict[str, Node] = {}
    for key, _ in node.value:
        if isinstance(key, ScalarNode) and key.tag != MERGE:
            earlier = first.setdefault(key.value, key)
            if earlier is not key:
                message = f"duplicate key {key.value!r} (first at line {earlier.start_mark.line + 1})"
                raise DuplicateKeyError(problem=message, problem_mark=key.start_mark)


def dump(data: Any) -> str:
    """YAML text: UTF-8 Japanese as is, keys in the order given, no line folding.  Plain data
    (str, int, bool, None, lists and dicts) goes straight to nodes for the emitter: the same text
    as yaml.dump, without the representer's work per value."""
    try:
        root = _node(data, set())
    except _Unusual:
        return yaml.dump(data, Dumper=Dumper, **OPTIONS)
    stream = io.StringIO()
    dumper = Dumper(stream, **OPTIONS)
    try:
        dumper.open()
        dumper.serialize(root)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


def load_text(text: str) -> Any:
    """Plain data from YAML text; raises yaml.YAMLError (DuplicateKeyError for a key given twice)."""
    return yaml.load(text, Loader=Loader)


def load(path: Path, label: str | None = None) -> Any:
    """Plain data from a YAML file; every problem (not UTF-8, not YAML, a duplicate key) an
    InputError at its line of ``label`` (default: the path, relative to the working folder)."""
    label = label or where(path)
    text = decode(path.read_bytes(), label)
    try:
        return load_text(text)
    except yaml.YAMLError as error:
        raise InputError([yaml_problem(error, label)]) from None


def yaml_problem(error: Exception, label: str) -> Problem:
    """The located problem of a YAML error: its line and what is wrong."""
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 1
    return Problem.at(label, line, f"not valid YAML: {getattr(error, 'problem', None) or error}")


def decode(data: bytes, label: str) -> str:
    """UTF-8 text (a BOM is kept for YAML to skip), or an InputError at the line of the first byte
    that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        message = f"not UTF-8 text: byte 0x{data[error.start]:02x} at column {column} (save the file as UTF-8)"
        raise InputError.at(label, line, message) from None


def where(path: Path) -> str:
    """How a file is named in a problem: relative to the working folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def line_index(text: str) -> dict[tuple, int]:
    """1-based line of every mapping key and sequence item, by its path of keys/indexes."""
    lines: dict[tuple, int] = {}

    def walk(node: yaml.Node, path: tuple) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, key.value)
                walk(value, child)
                lines[child] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, ())
    return lines
