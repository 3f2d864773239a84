"""The demo's map: 吉林省's real prefectures and counties (GB/T 2260 codes, ``jilin.csv``,
the same data as the renda-jilin plugin) and synthetic township and street divisions
(9-digit codes under each county: streets 001…, towns 101…, townships 201…).

The map depends on the scale only, never on the seed, so two demos of one scale share
their divisions and differ in people and events.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from importlib import resources
from typing import Any

from renda_core.application.areas import read_division_csv
from renda_core.demo.people import words

#: Township and street name stems; combined with a suffix they give plausible names.
STEMS = words(
    "兴隆 永安 太平 长安 新华 红旗 胜利 东风 友谊 光明 和平 民主 建设 前进 解放 新立 双山 "
    "三合 四合 五星 六合 八里 靠山 黑林 大岭 小城 合心 万宝 朝阳 向阳 青山 白石 黄泥 柳树 "
    "杨树 榆林 松江 松花 金城 银河 宝山 福安 永吉 吉兴 新兴 永丰 丰收 富民 裕民 安乐 长青 "
    "北山 南山 东山 西山 河东 河西 前郭 后岗 上营 下营 大屯 二屯 三道 四道 五道 六道 龙泉 "
    "龙湾 凤山 鹿场 参园 林海 泉眼 石门 沙河 清河 兰家 孟家 刘家 王家 张家 李家 赵家 郭家 "
    "万家 双阳 双河 三岔 一心 团结 和顺 春华 秀水 碧水 青松 红石 金沙 玉泉 临江 江北 江南"
)


@dataclass(frozen=True, slots=True)
class Place:
    """A township or street division."""

    code: str
    name: str
    kind: str  # street, township (乡镇: towns are recorded as township with a 镇 name)
    county: str
    prefecture: str
    weight: float  # a population proxy
    covered: bool


@dataclass(frozen=True)
class Map:
    rows: list[dict[str, Any]]  # every division, as ``import_divisions`` takes them
    names: dict[str, str]
    prefectures: list[str]
    counties: list[str]
    places: list[Place]

    def county_of(self, code: str) -> str:
        return code[:6]

    def prefecture_of(self, code: str) -> str:
        return code[:4] + "00"


def real_divisions() -> list[dict[str, Any]]:
    """吉林省, its 9 prefectures and 60 counties, as packaged in ``jilin.csv``."""
    text = resources.files(__package__).joinpath("jilin.csv").read_text(encoding="utf-8")
    return read_division_csv(text)


def build_map(divisions: int, covered: int) -> Map:
    """The real divisions plus ``divisions`` synthetic townships and streets, of which
    ``covered`` will have a station."""
    rng = random.Random(f"renda-demo-map/{divisions}")
    real = real_divisions()
    names = {r["code"]: r["name"] for r in real}
    prefectures = [r["code"] for r in real if r["kind"] == "prefecture"]
    counties = [r["code"] for r in real if r["kind"] == "county"]
    # how many townships and streets each county has: districts fewer, counties more
    weights = [(0.8 if names[c].endswith("区") else 1.3) * rng.uniform(0.7, 1.3) for c in counties]
    shares = largest_remainder(divisions, weights)
    places: list[Place] = []
    for county, count in zip(counties, shares, strict=True):
        places.extend(_places(rng, county, names[county], count))
    uncovered = set(rng.sample(range(len(places)), len(places) - covered))
    places = [
        Place(p.code, p.name, p.kind, p.county, p.prefecture, p.weight, i not in uncovered)
        for i, p in enumerate(places)
    ]
    rows = [{k: v for k, v in r.items() if k != "line"} for r in real]
    rows += [
        {"code": p.code, "name": p.name, "parent_code": p.county, "kind": p.kind} for p in places
    ]
    names.update({p.code: p.name for p in places})
    return Map(rows, names, prefectures, counties, places)


def _places(rng: random.Random, county: str, county_name: str, count: int) -> list[Place]:
    district = county_name.endswith("区")
    city = county_name.endswith("市")
    street_share = 0.8 if district else 0.3 if city else 0.1
    stems = rng.sample(STEMS, min(count, len(STEMS)))
    while len(stems) < count:  # more places than stems: number the rest
        stems.append(f"{STEMS[len(stems) % len(STEMS)]}{len(stems) // len(STEMS) + 1}")
    serial = {"street": 0, "town": 100, "township": 200}
    places = []
    for stem in stems:
        roll = rng.random()
        kind = "street" if roll < street_share else "town" if roll < 0.8 else "township"
        serial[kind] += 1
        code = f"{county}{serial[kind]:03d}"
        name = stem + {"street": "街道", "town": "镇", "township": "乡"}[kind]
        places.append(
            Place(
                code=code,
                name=name,
                kind="street" if kind == "street" else "township",
                county=county,
                prefecture=county[:4] + "00",
                weight=rng.lognormvariate(0, 0.5) * (1.4 if kind == "street" else 1.0),
                covered=True,
            )
        )
    return sorted(places, key=lambda p: p.code)


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (Hamilton's method)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares
