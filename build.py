"""One-line build: `python build.py` is `renkei-site build` (same options)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from renkei_site.cli import command

if __name__ == "__main__":
    flags = [a for a in sys.argv[1:] if a in ("-q", "--quiet", "-v", "--verbose")]
    command([*flags, "build", *(a for a in sys.argv[1:] if a not in flags)])
