"""pydantic's validation messages in the language of the driver, by error type.

The bad inputs are made from the command registry's models (every field of every
command: a wrong type, out-of-range values, a missing field, an extra field), not
listed by hand; each message must be wholly Chinese under zh_CN and pydantic-English
under en (``docs/i18n.md``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from renda_core import i18n
from renda_core.application.commands import COMMANDS, Command, parse
from renda_core.application.field_errors import (
    MESSAGES,
    PATTERN_MESSAGES,
    REASONS,
    SINGULAR,
    field_error,
    message_ids,
)
from renda_core.application.inputs import dates_as_of
from renda_core.cli import cli
from renda_core.cli.i18n import error_text, field_message
from renda_core.domain.errors import InvalidInput

#: words of pydantic's English messages that must not survive in Chinese
ENGLISH = re.compile(
    r"Input should|valid|should have|Field required|characters|expected|Value error|"
    r"String should|not permitted|greater than|less than|outside|separator|too short"
)
CJK = re.compile(r"[\u3400-\u9fff]")
QUOTED = re.compile(r"'[^']*'|`[^`]*`")

#: values that are wrong for some field of every kind: a mapping, a list, a number, a
#: very long text, a bad date, a date out of range, nothing, a control character
BAD_VALUES: tuple[Any, ...] = (
    {"a": 1},
    [1, 2],
    -(10**12),
    10**12,
    1.5,
    True,
    None,
    "",
    "   ",
    "x" * 20000,
    "2024-13-01",
    "2024-02-30",
    "2024-01-01T25:00",
    "2024/01/01",
    "1000-01-01",
    "2999-01-01",
    "not-a-uuid",
    "\x1b[31m",
    ["x" * 20000] * 3,
)


def models() -> list[type[Command]]:
    return sorted({spec.model for spec in COMMANDS.values()}, key=lambda m: m.__name__)


def bad_inputs(model: type[Command]) -> Iterator[dict[str, Any]]:
    """Each field alone with each bad value; nothing (every required field missing);
    an unknown field."""
    yield {}
    yield {"no_such_field": 1}
    for name in model.model_fields:
        for value in BAD_VALUES:
            yield {name: value}


def entries() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    with dates_as_of(date(2026, 11, 30)):
        for model in models():
            for data in bad_inputs(model):
                try:
                    parse(model, data)
                except InvalidInput as exc:
                    found += exc.errors
    return found


@pytest.fixture(scope="module")
def field_errors() -> list[dict[str, Any]]:
    return entries()


def test_the_bad_inputs_reach_the_error_types_of_our_models(
    field_errors: list[dict[str, Any]],
) -> None:
    types = {e["type"] for e in field_errors}
    expected = {
        "missing",
        "extra_forbidden",
        "string_type",
        "string_too_long",
        "string_too_short",
        "string_pattern_mismatch",
        "int_type",
        "int_from_float",
        "greater_than_equal",
        "less_than_equal",
        "enum",
        "bool_type",
        "dict_type",
        # no "model_type": the one nested model of a command (a calendar's holiday span)
        # is chosen by the entry's form, so a non-object entry is a bad day, not a bad span
        "uuid_parsing",
        "date_from_datetime_parsing",
        "date_type",
        "list_type",
        "value_error",
    }
    assert expected <= types, expected - types
    assert all(t in MESSAGES for t in types), types - set(MESSAGES)


def test_every_message_is_chinese_under_zh(field_errors: list[dict[str, Any]]) -> None:
    english: list[str] = []
    with i18n.use("zh_CN"):
        for entry in field_errors:
            text = field_message(entry)
            if ENGLISH.search(QUOTED.sub("", text)) or not CJK.search(text):
                english.append(f"{entry['type']} {entry['field']}: {text}")
    assert not english, "\n".join(sorted(set(english))[:40])


def test_every_message_is_english_under_en(field_errors: list[dict[str, Any]]) -> None:
    with i18n.use("en"):
        for entry in field_errors:
            text = field_message(entry)
            assert text == entry["message"]
            assert not CJK.search(QUOTED.sub("", text)), text


def test_a_whole_invalid_input_is_chinese_under_zh() -> None:
    with dates_as_of(date(2026, 11, 30)), pytest.raises(InvalidInput) as info:
        parse(
            COMMANDS["deputy.register"].model,
            {"name": "张三", "level": "x", "term": 0, "date": "2024-13-01", "extra": 1},
        )
    with i18n.use("zh_CN"):
        text = error_text(info.value)
    assert text.startswith("输入无效 — ")
    # the values a Chinese clerk writes (each is accepted), not the stored English
    assert "level：应为以下之一：全国、省、市、县、乡；" in text
    assert "term：应大于或等于 1" in text
    assert "date：应为有效的日期或日期时间：月应在 1–12 之间" in text
    assert "electoral_unit：必填字段" in text
    assert "extra：不允许多余的输入" in text
    assert not ENGLISH.search(QUOTED.sub("", text)), text


# ------------------------------------------------------------------ the table


def test_every_message_id_has_the_placeholders_pydantic_gives() -> None:
    """Each catalogued type formats with the ctx names pydantic-core documents."""
    from pydantic_core._pydantic_core import list_all_errors

    documented = {e["type"]: e["message_template_python"] for e in list_all_errors()}
    names = re.compile(r"\{(\w+)\}")
    for error_type, msgid in MESSAGES.items():
        assert error_type in documented, error_type
        given = set(names.findall(documented[error_type])) - {"expected_plural", "field_type"}
        if error_type == "value_error":
            assert set(names.findall(msgid)) == {"reason"}
        else:
            assert set(names.findall(msgid)) <= given, (error_type, msgid)


def test_message_ids_are_catalogued_in_both_languages() -> None:
    for locale in i18n.LOCALES:
        with i18n.use(locale):
            missing = [m for m in message_ids() if not i18n.catalogued(m, i18n.ERROR_CONTEXT)]
            assert not missing, (locale, missing)
    assert len(REASONS) == len(set(REASONS))


def error(error_type: str, msg: str, **ctx: Any) -> Mapping[str, Any]:
    return {"type": error_type, "loc": ("x",), "msg": msg, "input": None, "ctx": ctx}


def test_an_unknown_type_keeps_pydantic_english_and_never_crashes() -> None:
    unknown = field_error("x", error("brand_new_type", "Something new happened", n=1))
    assert unknown == {"field": "x", "message": "Something new happened", "type": "brand_new_type"}
    odd_ctx = field_error("x", error("greater_than", "Input should be greater than 3"))
    assert odd_ctx["message"] == "Input should be greater than 3"  # no ctx: its own words
    with i18n.use("zh_CN"):
        assert field_message(unknown) == "Something new happened"
        assert field_message(odd_ctx) == "应大于 3"  # matched as the old templates are


def test_an_unknown_date_reason_stays_english_inside_chinese() -> None:
    entry = field_error(
        "date", error("date_parsing", "…", error="a reason speedate adds next year")
    )
    with i18n.use("zh_CN"):
        assert field_message(entry) == (
            "应为 YYYY-MM-DD 格式的有效日期：a reason speedate adds next year"
        )


def test_singular_and_uuid_reasons() -> None:
    one = field_error("name", error("string_too_short", "…", min_length=1))
    many = field_error("name", error("string_too_long", "…", max_length=200))
    uuid = field_error("id", error("uuid_parsing", "…", error="invalid character: found `x` at 1"))
    assert one["message"] == "String should have at least 1 character"
    assert SINGULAR["string_too_short"][1] == one["msgid"]
    with i18n.use("zh_CN"):
        assert field_message(one) == "字符串至少应有 1 个字符"
        assert field_message(many) == "字符串至多应有 200 个字符"
        assert field_message(uuid) == "应为有效的 UUID：第 1 位有无效字符 `x`"


# ------------------------------------------------------------------ property


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None)
@given(
    model=st.sampled_from(models()),
    data=st.dictionaries(st.text(max_size=12), JSON, max_size=4),
    picks=st.lists(JSON, max_size=4),
)
def test_any_json_gives_chinese_messages(
    model: type[Command], data: dict[str, Any], picks: list[Any]
) -> None:
    """Any JSON for any command's fields: each message is Chinese under zh, pydantic's
    type and an English message stay in the entry, and nothing crashes."""
    fields = list(model.model_fields)
    data = {**data, **{fields[i % len(fields)]: v for i, v in enumerate(picks) if fields}}
    with dates_as_of(date(2026, 11, 30)):
        try:
            parse(model, data)
        except InvalidInput as exc:
            with i18n.use("zh_CN"):
                for entry in exc.errors:
                    assert entry["type"] and entry["message"]
                    text = QUOTED.sub("", field_message(entry))
                    assert not ENGLISH.search(text), (entry, text)


# ------------------------------------------------------------------ the CLI


def test_the_cli_shows_the_month_reason_in_chinese_and_the_type_in_json(tmp_path: Any) -> None:
    args = [
        "--store",
        str(tmp_path / "s.sqlite"),
        "--actor",
        "clerk",
        "--role",
        "staff",
        "deputy",
        "register",
        "--name",
        "张三",
        "--level",
        "county",
        "--term",
        "14",
        "--electoral-unit",
        "x",
        "--area",
        "220102",
        "--date",
        "2024-13-01",
    ]
    runner = CliRunner()
    zh = runner.invoke(cli, ["--lang", "zh", *args])
    assert zh.exit_code == 3
    assert "--date：应为有效的日期或日期时间：月应在 1–12 之间" in zh.stderr
    en = runner.invoke(cli, ["--lang", "en", *args, "--json"])
    assert en.exit_code == 3
    body = json.loads(en.stderr)
    assert body["fields"] == [
        {
            "field": "date",
            "option": "--date",
            "message": "Input should be a valid date or datetime, "
            "month value is outside expected range of 1-12",
            "type": "date_from_datetime_parsing",
        }
    ]
    zh_json = json.loads(runner.invoke(cli, ["--lang", "zh", *args, "--json"]).stderr)
    assert zh_json["fields"][0]["type"] == "date_from_datetime_parsing"  # never translated
    assert zh_json["error"] == "invalid_input"


def test_library_errors_carry_the_type_but_not_the_driver_keys() -> None:
    with pytest.raises(InvalidInput) as info:
        parse(COMMANDS["deputy.register"].model, {})
    fields = info.value.to_dict()["fields"]
    assert isinstance(fields, list)
    assert {"field": "name", "message": "Field required", "type": "missing"} in fields
    assert all(set(f) == {"field", "message", "type"} for f in fields)


def test_no_clerk_is_shown_a_regular_expression(field_errors: list[dict[str, Any]]) -> None:
    """Every pattern of a command's field has its own words (``PATTERN_MESSAGES``): a
    blank text, a division code, a telephone number; the error's type stays pydantic's."""
    mismatches = [e for e in field_errors if e["type"] == "string_pattern_mismatch"]
    assert {e["params"]["pattern"] for e in mismatches} == set(PATTERN_MESSAGES)
    for entry in mismatches:
        assert entry["message"] == PATTERN_MESSAGES[entry["params"]["pattern"]]
        with i18n.use("zh_CN"):
            shown = field_message(entry)
        assert entry["params"]["pattern"] not in shown and CJK.search(shown), shown


@pytest.mark.parametrize(
    ("command", "data", "field", "zh"),
    [
        ("deputy.register", {"area": "4401"}, "area", "应为 6、9 或 12 位数字的行政区划代码"),
        ("deputy.register", {"phone": "abc"}, "phone", "应为电话号码：数字，可含空格或连字符"),
        ("opinion.collect", {"content": "   "}, "content", "不能只有空白，请填写内容"),
    ],
)
def test_a_pattern_error_says_what_is_wanted(
    command: str, data: dict[str, Any], field: str, zh: str
) -> None:
    with dates_as_of(date(2026, 11, 30)), pytest.raises(InvalidInput) as info:
        parse(COMMANDS[command].model, data)
    (entry,) = [e for e in info.value.errors if e["field"] == field]
    assert entry["type"] == "string_pattern_mismatch"
    assert "pattern" not in entry["message"] and "^" not in entry["message"]
    with i18n.use("zh_CN"):
        assert field_message(entry).startswith(zh)
        assert f"{field}：{zh}" in error_text(info.value)


def test_the_fields_of_one_error_are_listed_with_the_languages_separator() -> None:
    with dates_as_of(date(2026, 11, 30)), pytest.raises(InvalidInput) as info:
        parse(COMMANDS["deputy.register"].model, {"area": "4401", "phone": "abc"})
    with i18n.use("zh_CN"):
        zh = error_text(info.value)
    assert "；phone：应为电话号码" in zh and "; " not in zh
    with i18n.use("en"):
        en = error_text(info.value)
    assert "; phone: Should be a telephone number" in en
