"""The figures the demo aims at: the seed's, multiplied by ``--scale``.

Every count is ``round(n × scale)`` (halves round up), at least 1 where a figure must
exist. Township and street divisions come in hundreds so that the coverage rate stays
exactly 97 %: ``100 × round(10 × scale)`` divisions (at least 100), 97 % of them covered.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from renda_core.domain.errors import InvalidInput
from renda_core.domain.values import Level

#: The seed's figures (吉林省人大常委会 work report, 2023) and the demo's assumptions
#: where the seed gives none. ``entered`` sums to 54,286 ("54000多名五级代表").
SEED: dict[str, Any] = {
    "divisions": 1000,
    "coverage_percent": 97,
    "registered": {
        Level.NATIONAL.value: 62,
        Level.PROVINCIAL.value: 508,
        Level.MUNICIPAL.value: 3480,
        Level.COUNTY.value: 14560,
        Level.TOWNSHIP.value: 37980,
    },
    "entered": {
        Level.NATIONAL.value: 60,
        Level.PROVINCIAL.value: 496,
        Level.MUNICIPAL.value: 3390,
        Level.COUNTY.value: 14230,
        Level.TOWNSHIP.value: 36110,
    },
    "activities": 26135,
    "items_pushed": 12494,
    "suggestions_handled": 200,
    "suggestions_not_accepted": 8,
    "liaison_deputies": 146,
    "groups": 29,
    "duty_classes": 5,
    "topical_participants": 120,
    "bulletin_issues": 6,
    "bulletin_forwarded": 12,
    "escalated_suggestions": 18,
    "forum_suggestions": 20,
    "terminated": 40,
}


def scaled(n: int, scale: float, minimum: int = 1) -> int:
    """``n × scale`` rounded half up, at least ``minimum``."""
    return max(minimum, math.floor(n * scale + 0.5))


#: The largest scale: the synthetic codes (``geography``) leave 100 codes per county for
#: each kind of division; at 5× the busiest county has 90 towns (101…190).
MAX_SCALE = 5


def check_scale(scale: float) -> float:
    """0 < scale ≤ 1 (a part of the seed's province), or a whole number from 2 to
    :data:`MAX_SCALE` (a province that many times as large)."""
    fraction = isinstance(scale, int | float) and math.isfinite(scale) and 0 < scale <= 1
    whole = isinstance(scale, int | float) and scale in range(2, MAX_SCALE + 1)
    if not (fraction or whole):
        raise InvalidInput(
            f"scale: {scale} is not a number greater than 0 and at most 1, "
            f"nor a whole number from 2 to {MAX_SCALE}",
            [{"field": "scale", "message": f"expected 0 < scale ≤ 1 or 2, 3, … {MAX_SCALE}"}],
        )
    return float(scale)


@dataclass(frozen=True)
class Targets:
    """What the demo builds, figure by figure (report paths in ``docs/demo.md``)."""

    scale: float
    seed: int
    year: int = 2023
    divisions: int = 0  # township and street divisions
    divisions_covered: int = 0
    coverage_rate: float = 0.0
    registered: dict[str, int] = field(default_factory=dict)
    entered: dict[str, int] = field(default_factory=dict)
    deputies_entered: int = 0
    activities: int = 0
    items_pushed: int = 0
    suggestions_handled: int = 0
    suggestions_not_accepted: int = 0
    liaison_deputies: int = 0
    deputies_contacted: int = 0
    groups: int = 0
    duty_classes: int = 0
    duty_coverage_provincial: float = 1.0
    initial_classes: int = 1
    topical_classes_2024: int = 2
    topical_participants: int = 0
    bulletin_issues: int = 0
    bulletin_forwarded: int = 0
    terminated: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def targets_for(scale: float = 1.0, seed: int = 2023) -> Targets:
    """The figures of a demo at ``scale``: the seed's at 1.0."""
    scale = check_scale(scale)
    divisions = 100 * max(1, math.floor(10 * scale + 0.5))
    covered = divisions * SEED["coverage_percent"] // 100
    entered = {lv: scaled(n, scale) for lv, n in SEED["entered"].items()}
    registered = {lv: max(entered[lv], scaled(n, scale)) for lv, n in SEED["registered"].items()}
    provincial = registered[Level.PROVINCIAL.value]
    handled = scaled(SEED["suggestions_handled"], scale)
    liaison = min(provincial, scaled(SEED["liaison_deputies"], scale))
    spare = sum(registered[lv] - entered[lv] for lv in (Level.COUNTY.value, Level.TOWNSHIP.value))
    return Targets(
        scale=scale,
        seed=seed,
        divisions=divisions,
        divisions_covered=covered,
        coverage_rate=round(covered / divisions, 4),
        registered=registered,
        entered=entered,
        deputies_entered=sum(entered.values()),
        activities=scaled(SEED["activities"], scale),
        items_pushed=scaled(SEED["items_pushed"], scale),
        suggestions_handled=handled,
        suggestions_not_accepted=scaled(SEED["suggestions_not_accepted"], scale, 0),
        liaison_deputies=liaison,
        deputies_contacted=liaison,
        groups=min(provincial, scaled(SEED["groups"], scale)),
        duty_classes=min(provincial, scaled(SEED["duty_classes"], scale)),
        topical_participants=min(provincial, scaled(SEED["topical_participants"], scale)),
        bulletin_issues=scaled(SEED["bulletin_issues"], scale),
        bulletin_forwarded=min(handled, scaled(SEED["bulletin_forwarded"], scale)),
        terminated=min(spare, scaled(SEED["terminated"], scale, 0)),
    )
