"""The words offices write for the five levels of people's congresses: a roster from a
district (区) or an autonomous prefecture (自治州) is read as the level the law gives it,
wherever a level is typed — a command, a sheet, a report's filter."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core.application.commands import COMMANDS, parse
from renda_core.application.inputs import dates_as_of
from renda_core.cli import cli
from renda_core.domain.errors import InvalidInput
from renda_core.domain.values import LEVEL_ALIASES, Level
from tests.conftest import register_payload


@pytest.mark.parametrize(
    ("word", "level"),
    [
        ("区", Level.COUNTY),
        ("县级市", Level.COUNTY),
        ("自治县", Level.COUNTY),
        ("旗", Level.COUNTY),
        ("自治州", Level.MUNICIPAL),
        ("设区的市", Level.MUNICIPAL),
        ("直辖市", Level.PROVINCIAL),
        ("省级", Level.PROVINCIAL),
        ("镇", Level.TOWNSHIP),
        ("民族乡", Level.TOWNSHIP),
        ("全国人大", Level.NATIONAL),
        ("市", Level.MUNICIPAL),  # the labels still
        ("county", Level.COUNTY),  # and the values
    ],
)
def test_a_level_is_read_from_the_word_an_office_writes(word: str, level: Level) -> None:
    assert Level.parse(word) is level
    with dates_as_of(date(2026, 11, 30)):
        command = parse(COMMANDS["deputy.register"].model, register_payload(level=word))
    assert command.level is level  # type: ignore[attr-defined]


def test_every_word_names_one_level_and_none_hides_a_label() -> None:
    labels = {m.label for m in Level} | {m.value for m in Level}
    assert not labels & set(LEVEL_ALIASES)
    assert set(LEVEL_ALIASES.values()) == {m.value for m in Level}
    with pytest.raises(ValueError, match="is not one of"):
        Level.parse("村")  # a village has no congress


def test_an_unknown_word_is_still_refused_with_the_field_named() -> None:
    with dates_as_of(date(2026, 11, 30)), pytest.raises(InvalidInput) as info:
        parse(COMMANDS["deputy.register"].model, register_payload(level="村"))
    assert [e["field"] for e in info.value.errors] == ["level"]


def test_a_district_roster_registers_county_deputies(store: str, tmp_path: Path) -> None:
    sheet = tmp_path / "天河区代表名册.csv"
    sheet.write_text(
        "姓名,层级,届次,选举单位,行政区划代码,任职日期\n"
        "黄丽,区,16,五山街道,440106,2026-01-10\n"
        "吴强,县级,16,石牌街道,440106,2026-01-10\n",
        encoding="gbk",
    )
    result: Any = CliRunner().invoke(cli, ["--store", store, "deputy", "import", str(sheet)])
    assert result.exit_code == 0, result.output
    listed = CliRunner().invoke(cli, ["--store", store, "deputy", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    levels = {d["name"]: d["level"] for d in json.loads(listed.stdout)}
    assert levels == {"黄丽": "county", "吴强": "county"}
