"""Work shared with forked processes: the same results in the same order, failures reported,
and the shortcuts that make an import fast give the bytes the slow way gives."""

from __future__ import annotations

import shutil
import sys

import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renkei_site import pipeline, yamlio
from renkei_site.forks import ChildError, forked_map


def square(n: int) -> int:
    return n * n


@pytest.mark.parametrize("jobs", [1, 2, 3, 5])
@pytest.mark.parametrize("count", [0, 1, 7, 100])
def test_forked_map_is_map_in_order(jobs, count):
    assert forked_map(square, list(range(count)), jobs) == [n * n for n in range(count)]


def breaks_on_90(n: int) -> int:
    if n == 90:
        raise ValueError("ninety")
    return n


def test_a_failure_in_a_forked_process_is_reported_with_its_traceback():
    with pytest.raises(
        ChildError, match=r"breaks_on_90 failed in a forked process:\nTraceback(.|\n)*ValueError: ninety"
    ):
        forked_map(breaks_on_90, list(range(100)), 2)


class PlainDumper(yaml.CSafeDumper):
    """What yamlio.dump did before its shortcut: the representer, and the resolver asked every time."""


PlainDumper.add_representer(str, yamlio._represent_str)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "",
            "001",
            "no",
            "yes",
            "null",
            "~",
            "1e3",
            "0x1F",
            "a: b",
            "#x",
            "- x",
            "x #y",
            "x\ny",
            "x\ny ",
            " x",
            "'",
            "横浜市",
        ]
    )
)
plain_data = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plain_data)
def test_yaml_from_nodes_is_what_the_representer_writes(data):
    assert yamlio.dump(data) == yaml.dump(data, Dumper=PlainDumper, **yamlio.OPTIONS)


def test_a_large_import_is_the_same_in_any_number_of_processes(data_copy, tmp_path):
    """1,200 names (read by forked processes) and 1,200 projects (YAML made by forked processes)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import synthetic

    source = tmp_path / "list.txt"
    source.write_bytes(synthetic.one_year(1200))
    texts = []
    for jobs in (1, 2):
        data = tmp_path / f"data-{jobs}"
        shutil.copytree(data_copy, data)
        pipeline.import_list(source, data, jobs=jobs)
        texts.append((data / "2022" / "projects.yaml").read_bytes())
    assert texts[0] == texts[1]
    assert texts[0].count(b"\n- id: ") == 1200
