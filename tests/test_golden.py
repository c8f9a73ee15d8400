"""The golden site (tests/golden/): a fresh import and build of a small tricky list is the
committed tree, byte for byte — every file by its digest in the kept manifest, and the files
kept whole (all but the look-alike pages of places the list does not name, and most preview
images: scripts/golden.py says which) by their bytes.  After a deliberate change to the output,
`python scripts/golden.py` makes the tree anew, and the diff shows in review what it did."""

from __future__ import annotations

import difflib
import hashlib

from golden import GOLDEN, build_golden, kept, manifest, named_codes, site_files


def test_the_golden_list_builds_the_committed_site_byte_for_byte(tmp_path):
    records, site = build_golden(tmp_path)
    assert records.read_bytes() == (GOLDEN / "projects.yaml").read_bytes(), "records differ: python scripts/golden.py"
    fresh, golden = site_files(site), site_files(GOLDEN / "site")
    digests = manifest(GOLDEN / "site")
    assert {
        path: hashlib.sha256(data).hexdigest() for path, data in fresh.items() if path != ".manifest.json"
    } == digests
    named = named_codes(records)
    assert sorted(golden) == sorted(path for path in fresh if path == ".manifest.json" or kept(path, named))
    changed = [path for path in golden if fresh[path] != golden[path]]
    if changed:
        path = changed[0]
        diff = difflib.unified_diff(
            golden[path].decode("utf-8", "replace").splitlines(),
            fresh[path].decode("utf-8", "replace").splitlines(),
            lineterm="",
            n=1,
        )
        shown = "\n".join(list(diff)[:40])
        raise AssertionError(f"{len(changed)} files differ (python scripts/golden.py), first {path}:\n{shown}")
