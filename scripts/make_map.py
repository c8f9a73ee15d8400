"""Regenerate data/reference/japan-map.json from the japanmap package (Apache-2.0).

    pip install japanmap==0.6.0 && python scripts/make_map.py

japanmap ships, per prefecture, the outline of the area holding its capital
(small islands are left out) as shared border points.  Here each outline is
projected (longitude scaled by cos 36°), Hokkaido and Okinawa moved into
insets as japanmap does, scaled to a 1000-unit box and rounded to 0.1.
"""

from __future__ import annotations

import json
import math
from importlib.metadata import files
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "reference" / "japan-map.json"


def main() -> None:
    source = next(Path(f.locate()) for f in files("japanmap") if f.name == "japan.json")
    points, outlines = json.loads(source.read_text(encoding="utf-8"))
    points = [list(p[0]) for p in points]
    for index in outlines[0][0][1][:-1]:  # Hokkaido inset
        points[index] = [points[index][0] - 10, points[index][1] - 4.5]
    for index in outlines[46][0][1][:-1]:  # Okinawa inset
        points[index] = [points[index][0] + 4.5, points[index][1] + 5]
    shapes = [[points[i] for _, indexes in outline for i in indexes] for outline in outlines]
    scale_x = math.cos(math.radians(36))
    xs = [x * scale_x for shape in shapes for x, _ in shape]
    ys = [-y for shape in shapes for _, y in shape]
    size = max(max(xs) - min(xs), max(ys) - min(ys))
    result = {}
    for code, shape in enumerate(shapes, start=1):
        projected = [
            [
                round((x * scale_x - min(xs)) / size * 1000, 1),
                round((-y - min(ys)) / size * 1000, 1),
            ]
            for x, y in shape
        ]
        result[f"{code:02d}"] = [p for i, p in enumerate(projected) if i == 0 or p != projected[i - 1]]
    meta = {
        "source": "japanmap 0.6.0 (Apache-2.0), japan.json",
        "width": round((max(xs) - min(xs)) / size * 1000, 1),
        "height": round((max(ys) - min(ys)) / size * 1000, 1),
    }
    OUT.write_text(
        json.dumps({"meta": meta, "shapes": result}, ensure_ascii=False, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)}: {sum(len(s) for s in result.values())} points")


if __name__ == "__main__":
    main()
