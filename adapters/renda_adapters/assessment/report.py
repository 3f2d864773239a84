"""``renda report assessment --year Y``: every deputy's points for the year, ranked,
each point with the facts of the duty record behind it."""

from __future__ import annotations

from typing import Any

import pluggy

from renda_adapters.record.read import DEPUTY, build_record
from renda_core.domain.values import area_prefix
from renda_core.ports.assessment import (
    AssessmentScheme,
    check_items,
    choose_scheme,
    collect_schemes,
)
from renda_core.projections.reports import ReportContext


def _active_in(doc: dict[str, Any], year: int) -> bool:
    start = int(doc["registered_on"][:4])
    end = doc["terminated_on"]
    return start <= year and (end is None or int(end[:4]) >= year)


def assess(
    ctx: ReportContext,
    scheme: AssessmentScheme,
    year: int,
    area: str | None = None,
    level: str | None = None,
) -> dict[str, Any]:
    """Score every deputy active in ``year`` (of the area and level, if given)."""
    deputies = []
    for key, doc in ctx.entities(DEPUTY):
        if not _active_in(doc, year):
            continue
        if area and not str(doc["area"]).startswith(area_prefix(area)):
            continue
        if level and doc["level"] != level:
            continue
        record = build_record(doc, key, year, ctx.entity)
        items = check_items(scheme, record, scheme.score(record))
        points = sum(i.points for i in items if i.points > 0)
        deductions = sum(i.points for i in items if i.points < 0)
        deputies.append(
            {
                "deputy_id": key,
                "name": doc["name"],
                "level": doc["level"],
                "area": doc["area"],
                "total": points + deductions,
                "points": points,
                "deductions": deductions,
                "items": [i.to_dict() for i in items],
            }
        )
    deputies.sort(key=lambda d: (-d["total"], d["name"], d["deputy_id"]))
    rank, previous = 0, None
    for n, d in enumerate(deputies, start=1):
        if d["total"] != previous:
            rank, previous = n, d["total"]
        d["rank"] = rank
    return {
        "year": year,
        "scheme": {"name": scheme.name, "title": scheme.title, "note": scheme.note},
        "deputies": [{"rank": d.pop("rank"), **d} for d in deputies],
    }


def run_assessment(
    ctx: ReportContext,
    pm: pluggy.PluginManager,
    year: int,
    scheme: str | None = None,
    area: str | None = None,
    level: str | None = None,
) -> dict[str, Any]:
    """The assessment with the scheme chosen among those the plugins registered."""
    return assess(ctx, choose_scheme(collect_schemes(pm), scheme), year, area, level)


def sheets(data: dict[str, Any]) -> dict[str, Any]:
    """The same figures for csv/xlsx: the ranking, and one row per item (facts as text)."""
    ranking = [{k: v for k, v in d.items() if k != "items"} for d in data["deputies"]]
    points = [
        {
            "rank": d["rank"],
            "deputy_id": d["deputy_id"],
            "name": d["name"],
            "duty": i["label"],
            "rule": i["rule"],
            "count": i["count"],
            "points": i["points"],
            "facts": "；".join(_fact_text(f) for f in i["facts"]),
        }
        for d in data["deputies"]
        for i in d["items"]
    ]
    return {
        "year": data["year"],
        "scheme": data["scheme"]["title"],
        "ranking": ranking,
        "points": points,
    }


def _fact_text(fact: dict[str, Any]) -> str:
    when = fact.get("on") or fact.get("starts") or ""
    what = next(
        (
            fact[k]
            for k in ("title", "topic", "place", "station", "group", "category")
            if fact.get(k)
        ),
        "",
    )
    return f"{when} {what}".strip()
