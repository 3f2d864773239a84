"""The demo's reports to constituents (代表述职): a few hundred at scale 1.

Its own ``random.Random`` (seeded from the demo's seed), so the draws of the rest of
the demo — and so the seed's figures — are unchanged. Deputies whose mandate ends
during the demo year are left out (their end date is drawn elsewhere).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from renda_core.demo.targets import scaled
from renda_core.domain.values import Level

if TYPE_CHECKING:
    from renda_core.demo.generator import Generator

REPORTS = 300  # at scale 1
AUDIENCES = ("原选区选民", "原选区选民代表", "原选举单位")
EVALUATIONS = (("满意", 85), ("基本满意", 13), ("不满意", 2))


def constituent_reports(gen: Generator) -> None:
    """Some deputies report to their constituents in the demo year (one write)."""
    from renda_core.demo.generator import PROVINCE_OFFICE, TERMS, YEAR_END

    rng = random.Random(f"renda-demo/{gen.t.seed}/constituent-reports")
    roll = gen.roll
    eligible = [n for n in roll.serials() if roll.id(n) is not None and n not in gen.terminating]
    chosen = rng.sample(eligible, min(len(eligible), scaled(REPORTS, gen.t.scale)))
    chosen.sort()
    with gen.batches.phase():
        gen.app._preload(roll.deputy(n).id for n in chosen)  # at once (PostgreSQL)
        for deputy in map(roll.deputy, chosen):
            start = max(TERMS[deputy.level][1], date(YEAR_END.year, 3, 1))
            on = start + timedelta(days=rng.randint(0, (date(YEAR_END.year, 12, 20) - start).days))
            provincial = deputy.level in (Level.NATIONAL.value, Level.PROVINCIAL.value)
            where = "代表之家" if rng.random() < 0.4 else "代表联络站"
            data: dict[str, object] = {
                "deputy_id": deputy.id,
                "date": on,
                "place": f"{deputy.home.name}{where}",
                "attendees": rng.randint(15, 120),
                "audience": AUDIENCES[2] if provincial else rng.choice(AUDIENCES[:2]),
            }
            if rng.random() < 0.7:
                labels = [label for label, _ in EVALUATIONS]
                weights = [weight for _, weight in EVALUATIONS]
                data["evaluation"] = rng.choices(labels, weights)[0]
            staff = PROVINCE_OFFICE if provincial else gen._staff(deputy.home)
            gen.app.report_to_constituents(data, staff)
