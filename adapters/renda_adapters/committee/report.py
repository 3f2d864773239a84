"""Reports of the ``committee`` view::

    renda report plan --year 2026 [--level provincial] [--json]
    renda report committee --year 2026 [--json]

and a member's own view (``renda member show ID``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from renda_adapters.committee.view import BODY, DEPUTY, MEMBER, PLAN
from renda_adapters.timeline import in_year, rate
from renda_core.domain.errors import NotFound
from renda_core.projections.reports import ReportContext

if TYPE_CHECKING:
    from rich.table import Table


def build_plan(ctx: ReportContext, year: int | None = None) -> dict[str, Any]:
    """The year's deputy-work plans: tasks, progress, completion (rate and on time)."""
    year = year or date.today().year
    plans = []
    tasks_total = done_total = on_time_total = 0
    for key, doc in ctx.entities(PLAN):
        if doc["year"] != year or (ctx.level and doc["level"] != ctx.level):
            continue
        tasks = doc["tasks"]
        done = [t for t in tasks if t["completed_on"]]
        on_time = [t for t in done if t["completed_on"] <= t["due"]]
        tasks_total, done_total = tasks_total + len(tasks), done_total + len(done)
        on_time_total += len(on_time)
        plans.append(
            {
                "id": key,
                "title": doc["title"],
                "level": doc["level"],
                "adopted_on": doc["adopted_on"],
                "tasks": tasks,
                "completed": len(done),
                "completion_rate": rate(len(done), len(tasks)),
            }
        )
    return {
        "year": year,
        "plans": sorted(plans, key=lambda p: (p["level"], p["id"])),
        "tasks": tasks_total,
        "completed": done_total,
        "completed_on_time": on_time_total,
        "completion_rate": rate(done_total, tasks_total),
        "as_of": ctx.as_of_label,
    }


def render_plan(data: dict[str, Any], lang: str = "zh") -> Table:
    from rich.table import Table

    zh = lang == "zh"
    year = data["year"]
    table = Table(title=f"{year}年度代表工作计划" if zh else f"Deputy-work plan {year}")
    for col in ("#", "任务" if zh else "Task", "责任" if zh else "Owner", "期限" if zh else "Due"):
        table.add_column(col)
    table.add_column("进度" if zh else "Progress", justify="right")
    for plan in data["plans"]:
        for t in plan["tasks"]:
            table.add_row(str(t["number"]), t["title"], t["owner"], t["due"], f"{t['percent']}%")
    rate_ = data["completion_rate"]
    table.caption = (
        f"完成 {data['completed']}/{data['tasks']}"
        if zh
        else f"completed {data['completed']}/{data['tasks']}"
    ) + (f" ({rate_:.0%})" if rate_ is not None else "")
    return table


def build_committee(ctx: ReportContext, year: int | None = None) -> dict[str, Any]:
    """Members, the 双联系 ledger and the bodies' work with deputies in a year."""
    year = year or date.today().year
    members = [
        doc
        for _, doc in ctx.entities(MEMBER)
        if int(doc["since"][:4]) <= year
        and (doc["left_on"] is None or int(doc["left_on"][:4]) >= year)
        and (not ctx.level or doc["level"] == ctx.level)
    ]
    liaised = {
        entry["deputy_id"]
        for doc in members
        for entry in doc["deputies"]
        if int(entry["since"][:4]) <= year
        and (entry["until"] is None or int(entry["until"][:4]) >= year)
    }
    contacted = {
        c["deputy_id"] for doc in members for c in doc["contacts"] if c["on"][:4] == str(year)
    }
    return {
        "year": year,
        "members": len(members),
        "deputies_liaised": len(liaised),
        "deputies_contacted": len(contacted),
        "member_contacts": in_year(ctx, "member_contacts", year, "key"),
        "body_contacts": in_year(ctx, "body_contacts", year, "key"),
        "participations": in_year(ctx, "participations", year, "key"),
        "participating_deputies": in_year(ctx, "participating_deputies", year, "key"),
        "bodies": len(ctx.entities(BODY)),
        "as_of": ctx.as_of_label,
    }


def render_committee(data: dict[str, Any], lang: str = "zh") -> Table:
    from rich.table import Table

    zh = lang == "zh"
    table = Table(title=f"{data['year']}年常委会联系代表" if zh else "Standing committee")
    table.add_column("指标" if zh else "Figure")
    table.add_column("数值" if zh else "Value", justify="right")
    rows = [
        ("常委会组成人员", "Members", data["members"]),
        ("双联系代表", "Deputies liaised", data["deputies_liaised"]),
        ("直接联系代表", "Deputies contacted", data["deputies_contacted"]),
        ("组成人员联系（次）", "Member contacts", sum(data["member_contacts"].values())),
        ("机构联系（次）", "Body contacts", sum(data["body_contacts"].values())),
        ("代表参与立法监督（次）", "Participations", sum(data["participations"].values())),
    ]
    for zh_label, en_label, value in rows:
        table.add_row(zh_label if zh else en_label, str(value))
    return table


def member_view(ctx: ReportContext, member_id: str) -> dict[str, Any]:
    """A member's own view: deputies liaised, contacts made, last contact per deputy."""
    doc = ctx.view.get_entity(MEMBER, member_id)
    if doc is None:
        raise NotFound(f"no standing-committee member with id {member_id}")
    names = {}
    for c in doc["contacts"]:
        deputy = ctx.view.get_entity(DEPUTY, c["deputy_id"]) or {}
        names[c["deputy_id"]] = deputy.get("name")
    bodies = []
    for key in doc["bodies"]:
        body = ctx.view.get_entity(BODY, key) or {}
        bodies.append({"body_id": key, "name": body.get("name"), "kind": body.get("kind")})
    return {
        "member_id": member_id,
        **{k: doc[k] for k in ("name", "position", "level", "term", "since", "left_on")},
        "bodies": bodies,
        "deputies": doc["deputies"],
        "contacts": [{**c, "name": names.get(c["deputy_id"])} for c in doc["contacts"]],
    }
