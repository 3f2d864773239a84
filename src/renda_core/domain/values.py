"""Value objects and enumerations shared by the aggregates.

Every enumeration carries its Chinese label next to its English name; events store the
English value (a plain string), so a log stays readable and stable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Self
from uuid import NAMESPACE_URL, UUID, uuid5

from renda_core.domain.errors import InvalidInput


class Labelled(StrEnum):
    """A string enum whose members carry a Chinese label: ``Level.PROVINCIAL.label``."""

    label: str

    def __new__(cls, value: str, label: str) -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def of(cls, value: str) -> Self:
        """The member whose value is ``value`` (as stored in events)."""
        return cls(value)  # type: ignore[call-arg]

    @classmethod
    def aliases(cls) -> dict[str, str]:
        """Other words an office writes for a member: word → value (none by default)."""
        return {}

    @classmethod
    def parse(cls, text: str) -> Labelled:
        """Accept the English value, the Chinese label or one of :meth:`aliases`."""
        for member in cls:
            if text in (member.value, member.label):
                return member
        alias = cls.aliases().get(text)
        if alias is not None:
            return cls.of(alias)
        choices = ", ".join(f"{m.value} ({m.label})" for m in cls)
        raise ValueError(f"'{text}' is not one of: {choices}")


class Level(Labelled):
    """The five levels of people's congresses (五级人大)."""

    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省"
    MUNICIPAL = "municipal", "市"
    COUNTY = "county", "县"
    TOWNSHIP = "township", "乡"

    @classmethod
    def aliases(cls) -> dict[str, str]:
        """The words rosters use for a level (宪法第九十五条, 地方组织法第二条): 省级 and
        自治区/直辖市 for a province's congress, 设区的市 and 自治州 for a city's, 区, 县级市
        and 自治县 for a county's, 镇 and 民族乡 for a township's."""
        return LEVEL_ALIASES


LEVEL_ALIASES: dict[str, str] = {
    "全国人大": "national",
    "国家级": "national",
    "省级": "provincial",
    "自治区": "provincial",
    "直辖市": "provincial",
    "省（自治区、直辖市）": "provincial",
    "市级": "municipal",
    "地级": "municipal",
    "地市级": "municipal",
    "设区的市": "municipal",
    "自治州": "municipal",
    "州": "municipal",
    "盟": "municipal",
    "县级": "county",
    "区": "county",
    "市辖区": "county",
    "县级市": "county",
    "不设区的市": "county",
    "自治县": "county",
    "旗": "county",
    "自治旗": "county",
    "县（市、区）": "county",
    "乡级": "township",
    "乡镇": "township",
    "镇": "township",
    "民族乡": "township",
    "苏木": "township",
    "乡（镇）": "township",
    # a roster's 层级 column often names the deputy: 省人大代表, 县人大代表
    "全国人大代表": "national",
    "省人大代表": "provincial",
    "自治区人大代表": "provincial",
    "直辖市人大代表": "provincial",
    "市人大代表": "municipal",
    "州人大代表": "municipal",
    "自治州人大代表": "municipal",
    "县人大代表": "county",
    "区人大代表": "county",
    "自治县人大代表": "county",
    "旗人大代表": "county",
    "乡人大代表": "township",
    "镇人大代表": "township",
    "乡镇人大代表": "township",
}
"""Other words for the five levels (:meth:`Level.aliases`); every one of them names
exactly one level (市 and 市人大代表 a city divided into districts, as the label 市 does,
but in a municipality, where :func:`level_in` reads them as its own congress)."""

#: the provincial-level divisions that are municipalities (直辖市): 北京, 天津, 上海, 重庆;
#: their districts and counties sit under the municipality itself
MUNICIPALITIES = ("11", "12", "31", "50")
MUNICIPALITY_NAMES = {"11": "北京市", "12": "天津市", "31": "上海市", "50": "重庆市"}
#: in a municipality these words name its own congress, which is of the provincial level
#: (宪法第九十七条: 省、直辖市的人民代表大会): 北京市人大代表 are 市人大代表
CITY_WORDS = frozenset({"市", "市级", "市人大代表"})


def level_label(level: str, province: str | None = None) -> str:
    """A level's Chinese label as the provincial-level division ``province`` (its
    two-digit code, or an area code) names it: 省, 市, 县, … — in a municipality its
    own congress is 市 and its districts' 区 (重庆's, with its counties, 区县)."""
    label = Level.of(level).label
    if province is None or province[:2] not in MUNICIPALITIES:
        return label
    if level == Level.PROVINCIAL.value:
        return "市"
    if level == Level.COUNTY.value:
        return "区县" if province[:2] == "50" else "区"
    if level == Level.MUNICIPAL.value:  # recorded before such a level was refused there
        return "设区的市"
    return label


def level_in(level: str, province: str | None, word: str | None = None) -> str:
    """The level value ``level`` names in the provincial-level division ``province``
    (its two-digit code; None: not known), ``word`` being what was written for it.

    A municipality has no congress of a city with districts (设区的市): there 市, 市级 and
    市人大代表 name the municipality's own congress (``provincial``); any other word for
    ``municipal`` (设区的市, 自治州, ``municipal`` itself) is refused (ValueError)."""
    if level != Level.MUNICIPAL.value or province not in MUNICIPALITIES:
        return level
    if word in CITY_WORDS:
        return Level.PROVINCIAL.value
    name = MUNICIPALITY_NAMES[province]
    raise ValueError(
        f"{name} is a municipality, with no congress of a city with districts: "
        "its own congress is of the provincial level (市), its districts' and counties' "
        "of the county level"
    )


class Gender(Labelled):
    MALE = "male", "男"
    FEMALE = "female", "女"

    @classmethod
    def aliases(cls) -> dict[str, str]:
        """男性 and 女性, as many rosters write them."""
        return {"男性": "male", "女性": "female"}


class ContactForm(Labelled):
    """How a standing-committee member contacted a deputy (双联系)."""

    FORUM = "forum", "座谈"
    VISIT = "visit", "走访"
    RESEARCH = "research", "调研"
    PHONE = "phone", "电话"
    OTHER = "other", "其他"


class TerminationReason(Labelled):
    """Why a deputy's mandate ended (代表资格终止)."""

    RESIGNATION = "resignation", "辞职"
    RECALL = "recall", "罢免"
    DEATH = "death", "死亡"
    TRANSFER = "transfer", "调离"
    OTHER = "other", "其他"


@dataclass(frozen=True)
class Actor:
    """Who caused an event, and in which role (``staff``, ``deputy:<id>``, …).

    ``os_user`` is the operating-system user who ran the CLI for this actor (recorded
    beside the claimed actor; None in the library API unless the embedding system sets
    it, and in events recorded before it existed). It is not part of the actor's
    identity: two actors with the same id and role are equal.
    """

    id: str
    role: str
    os_user: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.id} ({self.role})"


# GB/T 2260 province-level prefixes (11 北京 … 65 新疆, 71 台湾, 81 香港, 82 澳门).
PROVINCE_PREFIXES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    }
)


def division_id(code: str) -> UUID:
    """The record id of the division of ``code`` (:meth:`Division.create_id`)."""
    return uuid5(NAMESPACE_URL, f"/renda/divisions/{code}")


#: the record ids of the provincial-level divisions (110000, …) → their two digits
PROVINCE_IDS = {division_id(p + "0000"): p for p in sorted(PROVINCE_PREFIXES)}


def province_of(areas: Iterable[str]) -> str | None:
    """The two digits all these area codes share (a report's figures' areas), or None
    when they are of several provinces or there are none."""
    found = {area[:2] for area in areas if area}
    return next(iter(found)) if len(found) == 1 else None


def one_province(recorded: Iterable[UUID]) -> str | None:
    """The two digits of the one provincial-level division among the ``recorded`` ids
    (of :data:`PROVINCE_IDS`), or None for none or several (a national store)."""
    found = {PROVINCE_IDS[i] for i in recorded if i in PROVINCE_IDS}
    return next(iter(found)) if len(found) == 1 else None


_AREA_CODE = re.compile(r"^\d{6}(?:\d{3}(?:\d{3})?)?$")


def canonical_code(code: str) -> str:
    """A twelve-digit statistical code (统计用区划代码: a county's six digits, a
    township's three, a village's three) padded with zeros names the division of its
    shorter code, as the National Bureau of Statistics writes every level: 220102000000
    is 南关区 220102, 220102001000 is 永吉街道 220102001. Any other code as it is."""
    if len(code) == 12 and code.isdigit():
        if code.endswith("000000"):
            return code[:6]
        if code.endswith("000"):
            return code[:9]
    return code


def area_prefix(area: str) -> str:
    """The code prefix a report's or a list's area means. A division's own code is the
    division: a province's 220000 is 22, a prefecture's 220100 is 2201 (as a prefix, it
    matched that code alone, and a report of 长春市 showed no township), a padded
    twelve-digit code is its shorter one; any other prefix (22, 2201, 220102,
    220102001) as it is."""
    code = canonical_code(area.strip())
    if len(code) == 6 and code.isdigit():
        if code.endswith("0000"):
            return code[:2]
        if code.endswith("00"):
            return code[:4]
    return code


def is_village_code(code: str) -> bool:
    """A twelve-digit statistical code of a village-level unit (村民委员会, 居民委员会:
    its last three digits not 000), below the townships and streets renda records."""
    return len(code) == 12 and code.isdigit() and not code.endswith("000")


def check_area_code(code: str) -> str:
    """A GB/T 2260 six-digit code, or a nine- or twelve-digit township code."""
    if not _AREA_CODE.match(code) or code[:2] not in PROVINCE_PREFIXES:
        raise InvalidInput(
            f"area code '{code}' is not a 6-, 9- or 12-digit division code",
            [{"field": "area", "message": "expected a division code like 220102"}],
        )
    return code
