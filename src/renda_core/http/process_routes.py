"""The HTTP reads of issue 14's processes and of the actor registry: one ``GET`` route
per read of the library API (:mod:`renda_core.api.process_reads`), from one table.

Each route calls the :class:`~renda_core.api.facade.RendaAPI` method of the same name
as the token's actor, so the permission matrix and the read policy are the library's:
a role the matrix refuses gets ``403`` before anything is loaded, a unit ``403`` for a
record its assignments do not need, personal fields ``[已隐藏]`` unless the role may see
them, and an auditor's ``reason=`` is recorded before the answer.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import FastAPI, Query
from pydantic import BaseModel

from renda_core.api.facade import RendaAPI
from renda_core.application.permissions import allowed_roles
from renda_core.domain.values import Actor

REASON = Query(description="An auditor's reason to see personal fields (recorded first)")
Reason = Annotated[str | None, REASON]
"""The ``reason=`` query parameter of every read."""
LEVEL = ("level", str | None, Query(description="provincial, 省, county, 县 …"))
YEAR = Query(ge=1949, le=2200, description="The year (business dates)")


@dataclass(frozen=True)
class ReadRoute:
    """One ``GET`` route: its path (``{…}``: path parameters, passed in order), the
    :class:`RendaAPI` method it calls, the read of the permission matrix it is, and its
    query parameters (name, type, FastAPI ``Query``; ``None`` values are not passed)."""

    path: str
    method: str
    read: str
    summary: str
    query: tuple[tuple[str, Any, Any], ...] = ()

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


READ_ROUTES: tuple[ReadRoute, ...] = (
    ReadRoute("/v1/sessions", "list_sessions", "session.list", "Congress sessions", (LEVEL,)),
    ReadRoute("/v1/sessions/{id}", "get_session", "session.show", "One session and attendance"),
    ReadRoute(
        "/v1/session-warnings",
        "session_warnings",
        "session.warnings",
        "Deputies absent twice without leave (Art. 62: a warning, never a termination)",
        (LEVEL,),
    ),
    ReadRoute(
        "/v1/meetings",
        "list_meetings",
        "meeting.list",
        "Standing-committee meetings and forums",
        (("kind", str | None, Query(description="sc_meeting, forum, 常委会会议 …")),),
    ),
    ReadRoute("/v1/meetings/{id}", "get_meeting", "meeting.show", "One meeting and its 列席"),
    ReadRoute(
        "/v1/motions",
        "list_motions",
        "motion.list",
        "Motions (议案)",
        (("status", str | None, Query(description="draft, submitted, 列入会议议程 …")),),
    ),
    ReadRoute("/v1/motions/{id}", "get_motion", "motion.show", "One motion"),
    ReadRoute(
        "/v1/inspections",
        "list_inspections",
        "inspection.list",
        "Inspections and research (视察、专题调研)",
        (("kind", str | None, Query(description="inspection, research, 视察, 专题调研")),),
    ),
    ReadRoute("/v1/inspections/{id}", "get_inspection", "inspection.show", "One inspection"),
    ReadRoute("/v1/plans/{year}", "get_plan", "plan.show", "A year's deputy-work plan", (LEVEL,)),
    ReadRoute("/v1/campaigns/{id}", "get_campaign", "campaign.show", "One campaign"),
    ReadRoute("/v1/members", "list_members", "member.list", "Standing-committee members"),
    ReadRoute(
        "/v1/members/{id}", "get_member", "member.show", "A member's 双联系 ledger and contacts"
    ),
    ReadRoute("/v1/bodies", "list_bodies", "body.list", "Standing-committee bodies"),
    ReadRoute("/v1/bodies/{id}", "get_body", "body.show", "One body"),
    ReadRoute("/v1/terms", "list_terms", "term.list", "Terms (届)", (LEVEL,)),
    ReadRoute(
        "/v1/deputies/{id}/record",
        "record",
        "deputy.record",
        "A deputy's duty record (履职档案)",
        (("year", int | None, YEAR),),
    ),
    ReadRoute(
        "/v1/assessment",
        "assessment",
        "report",
        "A year's performance assessment (履职考核; the built-in scheme is an example)",
        (
            ("year", int, YEAR),
            ("scheme", str | None, Query(description="an assessment scheme's name")),
            ("area", str | None, Query(description="a division code prefix")),
            LEVEL,
        ),
    ),
    ReadRoute("/v1/actors", "list_actors", "actor.list", "Registered actors"),
    ReadRoute("/v1/actors/{id}", "get_actor", "actor.show", "One registered actor"),
)
"""Every read route of the processes; ``tests/http/test_process_reads.py`` checks each
role against the permission matrix through it."""


def add_read_routes(app: FastAPI, api: RendaAPI, acting: Any, errors: Any) -> None:
    """Add every :data:`READ_ROUTES` route to ``app``."""
    for route in READ_ROUTES:
        roles = ", ".join(sorted(allowed_roles(route.read) or ()))
        app.add_api_route(
            route.path,
            _endpoint(api, route, acting),
            methods=["GET"],
            tags=["processes"],
            summary=route.summary,
            description=f"Read `{route.read}` (docs/permissions.md). Roles allowed: {roles}.",
            operation_id=f"read_{route.method}",
            responses=errors,
        )


def _endpoint(api: RendaAPI, route: ReadRoute, acting: Any) -> Callable[..., Any]:
    """A FastAPI endpoint for ``route``: its signature names the path and query
    parameters, the actor (the token's) and ``reason``."""
    method = getattr(api, route.method)

    def endpoint(**given: Any) -> Any:
        actor: Actor = given.pop("actor")
        reason = given.pop("reason")
        args = [given.pop(name) for name in route.path_params]
        options = {k: v for k, v in given.items() if v is not None}
        return _json(method(*args, actor=actor, reason=reason, **options))

    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [
        inspect.Parameter(name, keyword, annotation=int if name == "year" else str)
        for name in route.path_params
    ]
    params.append(inspect.Parameter("actor", keyword, annotation=acting))
    for name, kind, query in route.query:
        default = inspect.Parameter.empty if kind is int else None
        params.append(
            inspect.Parameter(name, keyword, annotation=Annotated[kind, query], default=default)
        )
    params.append(inspect.Parameter("reason", keyword, annotation=Reason, default=None))
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    endpoint.__name__ = route.method
    return endpoint


def _json(result: Any) -> Any:
    if isinstance(result, list):
        return [_json(item) for item in result]
    assert isinstance(result, BaseModel)
    return result.model_dump(mode="json")
