"""The golden site (tests/golden/): a fresh import and build of a small tricky list is the
committed tree, byte for byte.  After a deliberate change to the output, `python scripts/golden.py`
makes the tree anew, and the diff shows in review what the change did."""

from __future__ import annotations

import difflib

from golden import GOLDEN, build_golden, site_files


def test_the_golden_list_builds_the_committed_site_byte_for_byte(tmp_path):
    records, site = build_golden(tmp_path)
    assert records.read_bytes() == (GOLDEN / "projects.yaml").read_bytes(), "records differ: python scripts/golden.py"
    fresh, kept = site_files(site), site_files(GOLDEN / "site")
    assert sorted(fresh) == sorted(kept), "files differ: python scripts/golden.py"
    changed = [path for path in fresh if fresh[path] != kept[path]]
    if changed:
        path = changed[0]
        diff = difflib.unified_diff(
            kept[path].decode("utf-8", "replace").splitlines(),
            fresh[path].decode("utf-8", "replace").splitlines(),
            lineterm="",
            n=1,
        )
        shown = "\n".join(list(diff)[:40])
        raise AssertionError(f"{len(changed)} files differ (python scripts/golden.py), first {path}:\n{shown}")
