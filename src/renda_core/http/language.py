"""The language of an HTTP answer: ``?lang=``, else ``Accept-Language``, else zh_CN.

Only human text changes with it (a problem's ``title`` and ``detail``, each field's
``message``, a report's labels); JSON keys and machine values (the problem ``type``,
error kinds, field names, pydantic's error ``type``, ids, enum values) never do
(``docs/http.md``).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qs

from renda_core import i18n

CONTENT_LANGUAGE = {"zh_CN": "zh-CN", "en": "en"}


def _language(tag: str) -> str | None:
    """The catalogue of one language tag, ``None`` for a language renda does not speak
    (``*`` is the default)."""
    text = tag.strip().lower().replace("_", "-")
    if text == "*":
        return i18n.DEFAULT_LOCALE
    if text == "zh" or text.startswith("zh-"):
        return "zh_CN"
    if text == "en" or text.startswith("en-"):
        return "en"
    return None


def accepted(header: str | None) -> list[tuple[str, float]]:
    """The language ranges of an ``Accept-Language`` header with their q-values, most
    wanted first (equal q-values in the order given; ``q=0`` and malformed q left out)."""
    ranges: list[tuple[str, float, int]] = []
    for index, item in enumerate((header or "").split(",")):
        tag, *params = (part.strip() for part in item.split(";"))
        if not tag:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if 0 < quality <= 1:
            ranges.append((tag, quality, index))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(tag, quality) for tag, quality, _ in ranges]


def negotiate(accept_language: str | None, lang: str | None = None) -> str:
    """The locale of an answer: ``lang`` (the ``?lang=`` parameter: ``zh``, ``en``,
    ``zh-CN`` …) when it names a language renda speaks, else the first of
    ``Accept-Language`` that renda speaks, else ``zh_CN``."""
    if lang:
        chosen = _language(lang)
        if chosen:
            return chosen
    for tag, _ in accepted(accept_language):
        chosen = _language(tag)
        if chosen:
            return chosen
    return i18n.DEFAULT_LOCALE


def _header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> str | None:
    values = [v.decode("latin-1") for k, v in headers if k.lower() == name]
    return ", ".join(values) if values else None


def of_scope(scope: object) -> str:
    """The locale an ASGI request asks for (its query string and headers)."""
    get = getattr(scope, "get", None)
    if get is None:
        return i18n.DEFAULT_LOCALE
    query = parse_qs(bytes(get("query_string", b"")).decode("latin-1"))
    langs = query.get("lang")
    lang = langs[-1] if langs else None
    return negotiate(_header(get("headers", []), b"accept-language"), lang)
