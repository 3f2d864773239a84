"""The HTTP API answers in the language the client asks for (``docs/http.md``):
``?lang=``, else ``Accept-Language`` (q-values), else Chinese. Only human text changes:
problem types, error kinds, field names, pydantic's error types and ids never do."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from renda_core import RendaAPI
from renda_core.http.language import accepted, negotiate
from renda_core.http.limits import HttpSettings
from tests.http.conftest import TokenFor, bearer, head, make_client, register_body

CJK = re.compile(r"[\u3400-\u9fff]")
ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
EN = {"Accept-Language": "en-US,en;q=0.9,zh;q=0.3"}
MISSING = str(UUID(int=7))


@pytest.mark.parametrize(
    ("header", "lang", "locale"),
    [
        (None, None, "zh_CN"),
        ("", None, "zh_CN"),
        ("en", None, "en"),
        ("en-GB", None, "en"),
        ("zh", None, "zh_CN"),
        ("zh-TW", None, "zh_CN"),
        ("zh-CN;q=0.4, en;q=0.8", None, "en"),
        ("en;q=0.2, zh-CN", None, "zh_CN"),  # no q is q=1
        ("fr-FR, de;q=0.9, en;q=0.1", None, "en"),  # the first renda speaks
        ("fr-FR, de;q=0.9", None, "zh_CN"),  # none: the default
        ("en;q=0, zh;q=0.1", None, "zh_CN"),  # q=0: not acceptable
        ("*", None, "zh_CN"),
        ("en;q=abc, zh", None, "zh_CN"),  # a malformed q is left out
        ("en", "zh", "zh_CN"),  # ?lang= wins
        ("zh", "en", "en"),
        ("zh", "zh-CN", "zh_CN"),
        ("en", "xx", "en"),  # a ?lang= renda does not speak says nothing
    ],
)
def test_negotiation(header: str | None, lang: str | None, locale: str) -> None:
    assert negotiate(header, lang) == locale


def test_accepted_orders_by_quality_then_position() -> None:
    assert accepted("a;q=0.5, b, c;q=0.5, d;q=0") == [("b", 1.0), ("a", 0.5), ("c", 0.5)]


def register(client: TestClient, token: str, headers: dict[str, str], query: str = "") -> Any:
    body = register_body(level="galactic", date="2024-13-01")
    return client.post(
        f"/v1/commands/deputy.register{query}", json=body, headers={**bearer(token), **headers}
    )


def test_a_validation_error_in_both_languages(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    token = token_for()
    before = head(api)
    zh = register(client, token, ZH)
    en = register(client, token, EN)
    default = register(client, token, {})
    assert zh.status_code == en.status_code == default.status_code == 400
    assert zh.headers["content-language"] == "zh-CN" and en.headers["content-language"] == "en"
    zh_body, en_body = zh.json(), en.json()
    assert default.json() == zh_body  # Chinese unless asked otherwise
    # the machine values are the same in both languages
    for key in ("type", "status", "instance"):
        assert zh_body[key] == en_body[key]
    machine = [(e["field"], e["type"]) for e in zh_body["errors"]]
    assert machine == [(e["field"], e["type"]) for e in en_body["errors"]]
    assert ("level", "enum") in machine and ("date", "date_from_datetime_parsing") in machine
    by_field = {e["field"]: e["message"] for e in zh_body["errors"]}
    assert by_field["date"] == "应为有效的日期或日期时间：月应在 1–12 之间"
    # the labels, each accepted as the value is (the English message keeps the values)
    assert by_field["level"] == "应为以下之一：全国、省、市、县、乡"
    assert zh_body["title"] == "输入无效" and zh_body["detail"].startswith("输入无效 — ")
    en_fields = {e["field"]: e["message"] for e in en_body["errors"]}
    assert en_fields["date"] == (
        "Input should be a valid date or datetime, month value is outside expected range of 1-12"
    )
    assert en_body["title"] == "Invalid input"
    assert not CJK.search(en_body["detail"])
    assert head(api) == before  # nothing recorded either way


def test_lang_parameter_overrides_accept_language(client: TestClient, token_for: TokenFor) -> None:
    token = token_for()
    answer = register(client, token, EN, "?lang=zh")
    assert answer.json()["title"] == "输入无效"
    answer = register(client, token, ZH, "?lang=en")
    assert answer.json()["title"] == "Invalid input"


def test_a_rule_violated_in_both_languages(
    client: TestClient, api: RendaAPI, token_for: TokenFor
) -> None:
    token = token_for()
    did = api.register_deputy(register_body())
    stop = {"deputy_id": str(did), "reason": "resignation", "date": "2024-01-02"}
    assert client.post("/v1/commands/deputy.terminate", json=stop, headers=bearer(token)).is_success
    answers = {
        name: client.post(
            "/v1/commands/deputy.terminate", json=stop, headers={**bearer(token), **headers}
        )
        for name, headers in (("zh", ZH), ("en", EN))
    }
    zh, en = answers["zh"].json(), answers["en"].json()
    assert answers["zh"].status_code == answers["en"].status_code == 409
    assert zh["type"] == en["type"] == "urn:renda:problem:rule_violated"
    assert zh["title"] == "记录的当前状态不允许这样做"
    assert en["title"] == "Not allowed in the record's current state"
    assert CJK.search(zh["detail"]) and zh["detail"] != en["detail"]
    assert not CJK.search(en["detail"])
    assert "2024-01-02" in zh["detail"] and "2024-01-02" in en["detail"]  # values stay


def test_a_not_found_in_both_languages(client: TestClient, token_for: TokenFor) -> None:
    token = token_for()
    zh = client.get(f"/v1/records/{MISSING}", headers={**bearer(token), **ZH})
    en = client.get(f"/v1/records/{MISSING}", headers={**bearer(token), **EN})
    assert zh.status_code == en.status_code == 404
    assert zh.json()["type"] == en.json()["type"] == "urn:renda:problem:not_found"
    assert zh.json()["detail"] == f"没有 id 为 {MISSING} 的记录"
    assert en.json()["detail"] == f"no record with id {MISSING}"
    assert (zh.json()["title"], en.json()["title"]) == ("未找到", "Not found")
    route_zh = client.get("/v1/no/such/route", headers={**bearer(token), **ZH})
    route_en = client.get("/v1/no/such/route?lang=en", headers=bearer(token))
    assert route_zh.status_code == route_en.status_code == 404
    assert route_zh.json()["detail"] == "未找到" and route_en.json()["detail"] == "Not Found"


def test_query_parameter_errors_and_missing_tokens_translate(
    client: TestClient, token_for: TokenFor
) -> None:
    token = token_for()
    zh = client.get("/v1/events?since=-1", headers={**bearer(token), **ZH}).json()
    en = client.get("/v1/events?since=-1", headers={**bearer(token), **EN}).json()
    assert zh["errors"] == [
        {"field": "since", "message": "应大于或等于 0", "type": "greater_than_equal"}
    ]
    assert en["errors"] == [
        {
            "field": "since",
            "message": "Input should be greater than or equal to 0",
            "type": "greater_than_equal",
        }
    ]
    zh_401 = client.get("/v1/events", headers=ZH)
    en_401 = client.get("/v1/events", headers=EN)
    assert zh_401.status_code == en_401.status_code == 401
    assert zh_401.json()["detail"].startswith("请发送 Authorization: Bearer")
    assert en_401.json()["detail"] == "send Authorization: Bearer <token> (renda token issue)"


def test_limits_answer_in_the_clients_language(api: RendaAPI, token_for: TokenFor) -> None:
    token = token_for()
    with make_client(api, HttpSettings(rate_per_minute=0, max_body_bytes=100)) as small:
        body = register_body(name="张" * 200)
        zh = small.post("/v1/commands/deputy.register", json=body, headers={**bearer(token), **ZH})
        en = small.post("/v1/commands/deputy.register", json=body, headers={**bearer(token), **EN})
    assert zh.status_code == en.status_code == 413
    assert zh.json()["detail"] == "请求体超过 100 字节"
    assert en.json()["detail"] == "the request body is larger than 100 bytes"
    assert zh.headers["content-language"] == "zh-CN"


def test_each_request_speaks_its_own_language_at_once() -> None:
    """``i18n.speaking`` holds for its own thread (or task) only: two requests in two
    languages at the same moment each get theirs, and the process keeps its own."""
    import threading

    from renda_core import i18n

    barrier = threading.Barrier(2)
    seen: dict[str, list[str]] = {}

    def answer(locale: str) -> None:
        with i18n.speaking(locale):
            barrier.wait()  # both inside their block at once
            for _ in range(200):
                seen.setdefault(locale, []).append(
                    i18n.pgettext(i18n.ERROR_CONTEXT, "Field required")
                )
            barrier.wait()

    with i18n.use(None):
        threads = [threading.Thread(target=answer, args=(loc,)) for loc in ("zh_CN", "en")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert i18n.active_locale() is None
    assert set(seen["zh_CN"]) == {"必填字段"}
    assert set(seen["en"]) == {"Field required"}


def test_a_value_cut_short_is_marked_in_the_clients_language() -> None:
    """An input too long to show whole keeps its head (``application.inputs.shown``);
    the mark after it is in the language of the answer, in the detail and the fields."""
    from renda_core.application.inputs import shown
    from renda_core.domain.errors import InvalidInput
    from renda_core.http.problems import from_error

    cut = shown("x" * 10240)
    error = InvalidInput(
        f"{cut} is not the manifest of a renda audit export",
        [{"field": "manifest", "message": f"{cut} is not the manifest of a renda audit export"}],
    )
    _, zh = from_error(error, locale="zh_CN")
    _, en = from_error(error, locale="en")
    zh_text = " ".join([zh["detail"], *(e["message"] for e in zh["errors"])])
    en_text = " ".join([en["detail"], *(e["message"] for e in en["errors"])])
    assert zh_text.count("x" * 60 + "…（共 10240 个字符）") == 2, zh
    assert "characters)" not in zh_text
    assert en_text.count("x" * 60 + "…(10240 characters)") == 2, en
