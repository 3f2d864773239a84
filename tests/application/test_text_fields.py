"""The text checks of command fields give the verdicts of the character-by-character
rule they replace (Unicode category Cc, newline and tab allowed in long texts)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from renda_core.application.fields import _long_text, _short_text
from renda_core.application.inputs import CONTROL, CONTROL_BUT_LINES, escape_controls


def _old_short(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    bad = next((c for c in value if unicodedata.category(c) == "Cc"), None)
    if bad is not None:
        raise ValueError(f"control character U+{ord(bad):04X} is not allowed here")
    return value


def _old_long(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    bad = next((c for c in value if unicodedata.category(c) == "Cc" and c not in "\n\t"), None)
    if bad is not None:
        raise ValueError(
            f"control character U+{ord(bad):04X} is not allowed (only newline and tab)"
        )
    return value


def _old_escape(text: str, keep_newlines: bool) -> str:
    out = []
    for c in text:
        if keep_newlines and c in "\n\t":
            out.append(c)
        elif unicodedata.category(c) == "Cc":
            out.append(repr(c)[1:-1] if c in "\n\t\r" else f"\\x{ord(c):02x}")
        else:
            out.append(c)
    return "".join(out)


def _verdict(check: object, value: str) -> str:
    try:
        return "ok:" + check(value)  # type: ignore[operator]
    except ValueError as exc:
        return "error:" + str(exc)


# Text that is often near the boundaries: controls, their neighbours, spaces of every
# kind, Chinese.
_near = st.sampled_from(
    [chr(i) for i in (*range(0, 0x21), *range(0x7E, 0xA1))]
    + ["\u3000", "\u2028", "\u2029", "\u200b", "\ufeff", "代", "表", "é", "\U0001f600"]
)
texts = st.one_of(st.text(), st.text(alphabet=_near), st.text(st.one_of(_near, st.characters())))


@settings(deadline=None)  # no time is asserted (a shared, loaded machine)
@given(texts)
def test_short_text_gives_the_old_verdicts(value: str) -> None:
    assert _verdict(_short_text, value) == _verdict(_old_short, value)


@settings(deadline=None)  # no time is asserted (a shared, loaded machine)
@given(texts)
def test_long_text_gives_the_old_verdicts(value: str) -> None:
    assert _verdict(_long_text, value) == _verdict(_old_long, value)


@settings(deadline=None)  # no time is asserted (a shared, loaded machine)
@given(texts, st.booleans())
def test_escape_controls_unchanged(value: str, keep_newlines: bool) -> None:
    assert escape_controls(value, keep_newlines=keep_newlines) == _old_escape(value, keep_newlines)


def test_the_patterns_match_exactly_the_control_characters() -> None:
    everything = "".join(map(chr, range(0x110000)))
    controls = {c for c in everything if unicodedata.category(c) == "Cc"}
    assert set(CONTROL.findall(everything)) == controls
    assert set(CONTROL_BUT_LINES.findall(everything)) == controls - {"\n", "\t"}
