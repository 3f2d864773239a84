"""Performance assessment (代表履职考核) as a plugin contract.

A scheme (``renda_register_assessment``) scores one deputy's duty record of one year.
Every point is backed by recorded facts: each :class:`AssessmentItem` carries the
entries of the record it counts, and :func:`check_items` refuses an item without facts
or with a fact that is not an entry of the record.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import pluggy

from renda_core.domain.errors import InvalidInput

DEFAULT_SCHEME = "example"
SCHEME_ENV = "RENDA_ASSESSMENT_SCHEME"


@dataclass(frozen=True)
class AssessmentItem:
    """Points for one duty (or a deduction, negative), with the facts behind them.

    ``duty`` is the record's list the facts come from (``station_activities``,
    ``attendance`` …); ``label`` its Chinese name; ``rule`` the scheme's rule in words
    (e.g. ``每次 2 分，上限 20 分``); ``facts`` the record's entries counted.
    """

    duty: str
    label: str
    rule: str
    points: int | float
    facts: Sequence[dict[str, Any]] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "duty": self.duty,
            "label": self.label,
            "rule": self.rule,
            "count": len(self.facts),
            "points": self.points,
            "facts": [dict(f) for f in self.facts],
        }


@runtime_checkable
class AssessmentScheme(Protocol):
    """``name`` (unique), ``title`` (Chinese), ``note`` (what it is and on what
    authority: a scheme that is not a province's adopted rule says so) and
    ``score(record) -> items``."""

    name: str
    title: str
    note: str

    def score(self, record: dict[str, Any]) -> Sequence[AssessmentItem]: ...


def collect_schemes(pm: pluggy.PluginManager) -> dict[str, AssessmentScheme]:
    found: dict[str, AssessmentScheme] = {}

    def register(scheme: AssessmentScheme) -> None:
        if not isinstance(scheme, AssessmentScheme):
            raise TypeError(f"{scheme!r} is not an AssessmentScheme")
        if scheme.name in found:
            raise ValueError(f"two assessment schemes are named '{scheme.name}'")
        found[scheme.name] = scheme

    pm.hook.renda_register_assessment(register=register)
    return found


def choose_scheme(schemes: dict[str, AssessmentScheme], name: str | None) -> AssessmentScheme:
    """The scheme named (option, else ``RENDA_ASSESSMENT_SCHEME``); without a name, the
    one a plugin registered (it replaces the example); else the example."""
    name = name or os.environ.get(SCHEME_ENV) or None
    if name is not None:
        if name not in schemes:
            known = ", ".join(sorted(schemes)) or "none"
            raise InvalidInput(
                f"no assessment scheme named '{name}' (known: {known})",
                [{"field": "scheme", "message": "unknown scheme"}],
            )
        return schemes[name]
    own = sorted(n for n in schemes if n != DEFAULT_SCHEME)
    if len(own) > 1:
        raise InvalidInput(
            f"several assessment schemes are registered ({', '.join(own)}): "
            f"name one with --scheme or {SCHEME_ENV}",
            [{"field": "scheme", "message": "ambiguous"}],
        )
    if own:
        return schemes[own[0]]
    if DEFAULT_SCHEME not in schemes:
        raise InvalidInput(
            "no assessment scheme is registered", [{"field": "scheme", "message": "none"}]
        )
    return schemes[DEFAULT_SCHEME]


def check_items(
    scheme: AssessmentScheme, record: dict[str, Any], items: Sequence[AssessmentItem]
) -> list[AssessmentItem]:
    """Refuse points not backed by the record: an item needs facts, and every fact is
    an entry of one of the record's lists."""
    entries = [e for v in record.values() if isinstance(v, list) for e in v]
    for item in items:
        if not isinstance(item, AssessmentItem):
            raise TypeError(f"scheme {scheme.name} returned {item!r}, not an AssessmentItem")
        if not item.facts:
            raise ValueError(f"scheme {scheme.name}: '{item.label}' has points without facts")
        for fact in item.facts:
            if fact not in entries:
                raise ValueError(
                    f"scheme {scheme.name}: '{item.label}' cites {fact!r}, "
                    "which is not an entry of the duty record"
                )
    return list(items)
