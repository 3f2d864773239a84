"""pydantic's validation errors as renda's field errors, translatable by their type.

pydantic-core reports each problem with a stable ``type`` (``string_too_long``) and a
``ctx`` of values (``{"max_length": 200}``); its English ``msg`` is made from them.
:func:`field_error` turns one such error into the entry an :class:`InvalidInput`
lists: ``field``, ``message`` (English, as the library always speaks) and ``type``
(pydantic's, for programs), plus the catalogued message id (``msgid``, a template of
:data:`MESSAGES` with named placeholders) and its ``params`` (from ``ctx``), which a
driver uses to show the message in its language (``docs/i18n.md``). ``msgid`` and
``params`` are not part of the JSON of an error.

Dates and datetimes carry their reason in ``ctx["error"]`` (speedate's words, "month
value is outside expected range of 1-12", and the uuid crate's for UUIDs): a finite
list, catalogued in :data:`REASONS` and translated when the message is shown.
``value_error`` (a ``ValueError`` of renda's own validators) keeps the reason as the
validator wrote it, translated by its own catalogue template. A type missing from the
table keeps pydantic's English message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: pydantic-core error type → the English message id, placeholders named after ``ctx``
MESSAGES: dict[str, str] = {
    # fields and models
    "missing": "Field required",
    "extra_forbidden": "Extra inputs are not permitted",
    "frozen_field": "Field is frozen",
    "frozen_instance": "Instance is frozen",
    "invalid_key": "Keys should be strings",
    "model_type": "Input should be a JSON object",  # not the model's class: ActorModel
    "model_attributes_type": "Input should be a valid dictionary or object to extract fields from",
    "dataclass_type": "Input should be a dictionary or an instance of {class_name}",
    "dataclass_exact_type": "Input should be an instance of {class_name}",
    "none_required": "Input should be None",
    "is_instance_of": "Input should be an instance of {class}",
    "json_invalid": "Invalid JSON: {error}",
    "json_type": "JSON input should be string, bytes or bytearray",
    "recursion_loop": "Recursion error - cyclic reference detected",
    "assertion_error": "Assertion failed, {error}",
    "value_error": "Value error, {reason}",
    # choices
    "literal_error": "Input should be one of {expected}",
    "enum": "Input should be one of {expected}",
    "union_tag_invalid": "Input tag '{tag}' found using {discriminator} does not match "
    "any of the expected tags: {expected_tags}",
    "union_tag_not_found": "Unable to extract tag using discriminator {discriminator}",
    # strings
    "string_type": "Input should be a valid string",
    "string_unicode": "Input should be a valid string, unable to parse raw data as a "
    "unicode string",
    "string_too_short": "String should have at least {min_length} characters",
    "string_too_long": "String should have at most {max_length} characters",
    "string_pattern_mismatch": "String should match pattern '{pattern}'",
    "string_not_ascii": "String should contain only ASCII characters",
    "bytes_type": "Input should be a valid bytes",
    # numbers
    "int_type": "Input should be a valid integer",
    "int_parsing": "Input should be a valid integer, unable to parse string as an integer",
    "int_parsing_size": "Unable to parse input string as an integer, exceeded maximum size",
    "int_from_float": "Input should be a valid integer, got a number with a fractional part",
    "float_type": "Input should be a valid number",
    "float_parsing": "Input should be a valid number, unable to parse string as a number",
    "finite_number": "Input should be a finite number",
    "decimal_type": "Decimal input should be an integer, float, string or Decimal object",
    "decimal_parsing": "Input should be a valid decimal",
    "greater_than": "Input should be greater than {gt}",
    "greater_than_equal": "Input should be greater than or equal to {ge}",
    "less_than": "Input should be less than {lt}",
    "less_than_equal": "Input should be less than or equal to {le}",
    "multiple_of": "Input should be a multiple of {multiple_of}",
    "bool_type": "Input should be a valid boolean",
    "bool_parsing": "Input should be a valid boolean, unable to interpret input",
    # collections
    "list_type": "Input should be a valid list",
    "tuple_type": "Input should be a valid tuple",
    "set_type": "Input should be a valid set",
    "frozen_set_type": "Input should be a valid frozenset",
    "set_item_not_hashable": "Set items should be hashable",
    "dict_type": "Input should be a valid dictionary",
    "mapping_type": "Input should be a valid mapping, error: {error}",
    "iterable_type": "Input should be iterable",
    "too_short": "Input should have at least {min_length} items, not {actual_length}",
    "too_long": "Input should have at most {max_length} items, not {actual_length}",
    # dates and times
    "date_type": "Input should be a valid date",
    "date_parsing": "Input should be a valid date in the format YYYY-MM-DD, {error}",
    "date_from_datetime_parsing": "Input should be a valid date or datetime, {error}",
    "date_from_datetime_inexact": "Datetimes provided to dates should have zero time - "
    "e.g. be exact dates",
    "date_past": "Date should be in the past",
    "date_future": "Date should be in the future",
    "time_type": "Input should be a valid time",
    "time_parsing": "Input should be in a valid time format, {error}",
    "datetime_type": "Input should be a valid datetime",
    "datetime_parsing": "Input should be a valid datetime, {error}",
    "datetime_object_invalid": "Invalid datetime object, got {error}",
    "datetime_from_date_parsing": "Input should be a valid datetime or date, {error}",
    "datetime_past": "Input should be in the past",
    "datetime_future": "Input should be in the future",
    "timezone_naive": "Input should not have timezone info",
    "timezone_aware": "Input should have timezone info",
    "timezone_offset": "Timezone offset of {tz_expected} required, got {tz_actual}",
    "time_delta_type": "Input should be a valid timedelta",
    "time_delta_parsing": "Input should be a valid timedelta, {error}",
    # identifiers and addresses
    "uuid_type": "UUID input should be a string, bytes or UUID object",
    "uuid_parsing": "Input should be a valid UUID, {error}",
    "uuid_version": "UUID version {expected_version} expected",
    "url_type": "URL input should be a string or URL",
    "url_parsing": "Input should be a valid URL, {error}",
    "url_scheme": "URL scheme should be {expected_schemes}",
}

#: the patterns of renda's own text fields (``StringConstraints(pattern=…)``)
NOT_BLANK = r"\S"
AREA_CODE = r"^\d{6}(?:\d{3}(?:\d{3})?)?$"
PHONE = r"^\+?[0-9][0-9 \-]{5,19}$"

#: what a ``string_pattern_mismatch`` of one of these patterns tells the clerk, instead
#: of the regular expression (the error's ``type`` stays pydantic's)
PATTERN_MESSAGES: dict[str, str] = {
    NOT_BLANK: "Text should not be blank",
    AREA_CODE: "Should be a division code of 6, 9 or 12 digits (GB/T 2260), e.g. 220100",
    PHONE: "Should be a telephone number: digits, spaces or hyphens, a leading + allowed "
    "(e.g. 0431-88886666, 13800000000)",
}

#: the message when the count in ``ctx`` is one (English has no plural there)
SINGULAR: dict[str, tuple[str, str]] = {
    "string_too_short": ("min_length", "String should have at least 1 character"),
    "string_too_long": ("max_length", "String should have at most 1 character"),
}

#: the reasons pydantic-core gives in ``ctx["error"]`` of date, time and UUID parsing
#: errors (speedate's and the uuid crate's words), as catalogued templates
REASONS: tuple[str, ...] = (
    "input is too short",
    "input is too long",
    "invalid character in year",
    "invalid character in month",
    "invalid character in day",
    "invalid character in hour",
    "invalid character in minute",
    "invalid character in second",
    "invalid character in second fraction",
    "invalid date separator, expected `-`",
    "invalid time separator, expected `:`",
    "invalid datetime separator, expected `T`, `t`, `_` or space",
    "month value is outside expected range of 1-12",
    "day value is outside expected range",
    "hour value is outside expected range of 0-23",
    "minute value is outside expected range of 0-59",
    "second value is outside expected range of 0-59",
    "second fraction value is more than 6 digits long",
    "second fraction digits missing after `.`",
    "invalid timezone sign",
    "invalid timezone hour",
    "invalid timezone minute",
    "timezone minute value is outside expected range of 0-59",
    "timezone offset must be less than 24 hours",
    "unexpected extra characters at the end of the input",
    "dates before 0000 are not supported as unix timestamps",
    "dates after 9999 are not supported as unix timestamps",
    "year 0 is out of range",
    "invalid character: found `{found}` at {index}",
    "invalid length: found {found}",
    "invalid group count: expected {expected}, found {found}",
    "invalid group length in group {group}: expected {expected}, found {found}",
)

#: the reasons Python's JSON parser gives (``JSONDecodeError.msg``), which a line of an
#: import file or a calendar file that is not JSON is reported with
JSON_REASONS: tuple[str, ...] = (
    "Expecting value",
    "Expecting ':' delimiter",
    "Expecting ',' delimiter",
    "Expecting property name enclosed in double quotes",
    "Unterminated string starting at",
    "Invalid control character at",
    "Invalid \\escape",
    "Invalid \\uXXXX escape",
    "Extra data",
)


def message_ids() -> list[str]:
    """Every message id of this module (catalogued under ``msgctxt "error"``)."""
    return [
        *MESSAGES.values(),
        *(m for _, m in SINGULAR.values()),
        *PATTERN_MESSAGES.values(),
        *REASONS,
        *JSON_REASONS,
    ]


def _expected(text: str) -> str:
    """pydantic's ``'a', 'b' or 'c'`` as a list without the English ``or``."""
    head, sep, last = text.rpartition(" or ")
    return f"{head}, {last}" if sep else text


def params_of(error_type: str, ctx: Mapping[str, Any] | None) -> dict[str, str]:
    """The placeholders of ``error_type``'s message, from pydantic's ``ctx``."""
    values = {str(k): str(v) for k, v in (ctx or {}).items()}
    if error_type in {"literal_error", "enum"} and "expected" in values:
        values["expected"] = _expected(values["expected"])
    if error_type == "value_error":
        values = {"reason": values.get("error", "")}
    return values


def message_of(error: Mapping[str, Any]) -> tuple[str | None, dict[str, str]]:
    """The message id and placeholders of one pydantic error (``None``: not catalogued)."""
    error_type = str(error.get("type", ""))
    params = params_of(error_type, error.get("ctx"))
    msgid = MESSAGES.get(error_type)
    singular = SINGULAR.get(error_type)
    if singular is not None and params.get(singular[0]) == "1":
        msgid = singular[1]
    if error_type == "string_pattern_mismatch" and params.get("pattern") in PATTERN_MESSAGES:
        return PATTERN_MESSAGES[params["pattern"]], params
    if msgid is None:
        return None, params
    try:
        msgid.format(**params)
    except (KeyError, IndexError, ValueError):
        return None, params  # a ctx this pydantic does not give: its own words
    return msgid, params


def field_error(field: str, error: Mapping[str, Any]) -> dict[str, Any]:
    """The entry of :class:`InvalidInput` for one pydantic error (module doc)."""
    msgid, params = message_of(error)
    message = msgid.format(**params) if msgid else str(error.get("msg", ""))
    entry: dict[str, Any] = {"field": field, "message": message, "type": str(error["type"])}
    if msgid:
        entry["msgid"] = msgid
        entry["params"] = params
    return entry


def field_name(error: Mapping[str, Any]) -> str:
    """The dotted location of a pydantic error (``input`` for the whole value)."""
    return ".".join(str(p) for p in error.get("loc", ())) or "input"


#: keys of a field error that programs read (``msgid`` and ``params`` are the driver's)
PUBLIC_KEYS = ("field", "message", "type")


def public(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A field error as it is shown to programs: ``field``, ``message``, ``type``."""
    return {k: entry[k] for k in PUBLIC_KEYS if k in entry}
