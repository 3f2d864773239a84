"""The ASGI application of ``renda serve`` (FastAPI), over one opened store.

``create_app(api, settings)`` answers under ``/v1``: commands (one route per command,
its body the command's model), batches, reports, records and their history, the event
log (paged and as a server-sent-event stream), health and the OpenAPI document. Every
request but ``/v1/health`` and ``/v1/openapi.json`` needs a bearer token, which fixes
the actor and role; every error is an RFC 9457 problem (``docs/http.md``).
"""

import asyncio
import functools
import json
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from renda_core.api.facade import RendaAPI
from renda_core.application.commands import COMMANDS, CommandSpec
from renda_core.application.field_errors import field_error
from renda_core.application.importer import Envelope
from renda_core.domain.errors import InvalidInput, NotFound, RendaError
from renda_core.domain.values import Actor
from renda_core.http import language, reads
from renda_core.http.commands import BatchTooLarge, run_batch, run_command
from renda_core.http.limits import HttpSettings, LimitsMiddleware
from renda_core.http.problems import (
    MEDIA_TYPE,
    STATUS,
    TYPE_PREFIX,
    from_error,
    problem,
    translated,
)
from renda_core.http.process_routes import Reason, add_read_routes
from renda_core.http.tokens import authenticate

API_TITLE = "renda HTTP API"
API_VERSION = "1"
KEEP_ALIVE_SECONDS = 15.0


class Problem(Exception):
    """An HTTP problem that is not a renda error (401, 413)."""

    def __init__(self, kind: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.headers = headers or {}


def _problem_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None, locale: str = ""
) -> JSONResponse:
    if locale:
        headers = {**(headers or {}), "Content-Language": language.CONTENT_LANGUAGE[locale]}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _locale(request: Request) -> str:
    """The language the request asks for (``?lang=``, ``Accept-Language``)."""
    return language.of_scope(request.scope)


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "examples": [TYPE_PREFIX + "invalid_input"]},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "type": {"type": "string", "description": "pydantic's error type"},
                },
            },
        },
    },
}
ERRORS: dict[int | str, dict[str, Any]] = {
    str(code): {"description": "A problem (RFC 9457)", "content": {MEDIA_TYPE: {"schema": {}}}}
    for code in sorted(set(STATUS.values()))
}


def create_app(api: RendaAPI, settings: HttpSettings | None = None) -> Any:
    """The ASGI application over ``api`` (an opened store), limits applied."""
    settings = settings or HttpSettings()
    app = FastAPI(
        title=API_TITLE,
        version=API_VERSION,
        openapi_url="/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        description="The commands, reports and event log of renda over HTTP (docs/http.md).",
    )
    app.state.api = api
    app.state.settings = settings
    _handlers(app)

    def current_actor(request: Request) -> Actor:
        """The actor and role the bearer token fixes (the security scheme ``bearer``)."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Problem(
                "unauthorized",
                "send Authorization: Bearer <token> (renda token issue)",
                {"WWW-Authenticate": 'Bearer realm="renda"'},
            )
        try:
            return authenticate(api, token.strip())
        except (NotFound, InvalidInput):
            raise Problem(
                "unauthorized",
                "the bearer token is unknown, revoked or expired",
                {"WWW-Authenticate": 'Bearer realm="renda", error="invalid_token"'},
            ) from None

    Acting = Annotated[Actor, Depends(current_actor)]
    IdempotencyKey = Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="The command id: the command is applied once; a replay answers "
            "the first result.",
        ),
    ]

    for spec in COMMANDS.values():
        _command_route(app, api, spec, Acting, IdempotencyKey)

    @app.post(
        "/v1/commands:batch",
        tags=["commands"],
        summary="Apply the envelopes of `renda import` as one transaction",
        responses=ERRORS,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/BatchEnvelope"},
                        }
                    },
                    "application/x-ndjson": {"schema": {"type": "string"}},
                },
            }
        },
    )
    async def commands_batch(request: Request, actor: Acting) -> dict[str, Any]:
        body = await request.body()
        envelopes = _envelopes(body, request.headers.get("content-type", ""))
        try:
            result = await run_in_threadpool(run_batch, api, envelopes, actor, settings.max_batch)
        except BatchTooLarge as exc:
            raise Problem("payload_too_large", str(exc)) from None
        if result.exception is not None:
            raise result.exception
        return result.to_dict()

    @app.get("/v1/reports/{name}", tags=["reports"], summary="Run a report", responses=ERRORS)
    def report(
        name: str,
        request: Request,
        actor: Acting,
        as_of: Annotated[str | None, Query(description="YYYY-MM-DD or ISO 8601")] = None,
        area: str | None = None,
        level: str | None = None,
        year: Annotated[int | None, Query(ge=1949, le=2200)] = None,
        format: Annotated[str, Query(pattern="^(json|html|csv)$")] = "json",
        lang: Annotated[
            str | None,
            Query(pattern="^(zh|en)$", description="default: as Accept-Language asks, else zh"),
        ] = None,
    ) -> Response:
        known = {"as_of", "area", "level", "year", "format", "lang"}
        options = {k: v for k, v in request.query_params.items() if k not in known}
        body, media_type = reads.report(
            api,
            name,
            as_of=as_of,
            area=area,
            level=level,
            year=year,
            fmt=format,
            lang=lang or ("en" if _locale(request) == "en" else "zh"),
            options=options,
        )
        return Response(body, media_type=media_type)

    @app.get(
        "/v1/records/{record_id}",
        tags=["records"],
        summary="A record as it is now",
        responses=ERRORS,
    )
    def record(
        record_id: str,
        actor: Acting,
        reason: Reason = None,
    ) -> dict[str, Any]:
        return reads.record(api, record_id, actor, reason)

    @app.get(
        "/v1/records/{record_id}/history",
        tags=["records"],
        summary="Every event of a record, oldest first",
        responses=ERRORS,
    )
    def history(
        record_id: str,
        actor: Acting,
        reason: Reason = None,
    ) -> list[dict[str, Any]]:
        events = api.history(record_id, actor=actor, reason=reason)
        return [e.model_dump(mode="json") for e in events]

    @app.get(
        "/v1/events",
        tags=["events"],
        summary="Events after a log position, as CloudEvents",
        responses=ERRORS,
    )
    def events(
        actor: Acting,
        since: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1)] = 100,
        reason: Reason = None,
    ) -> dict[str, Any]:
        return reads.events_page(api, since, min(limit, settings.page_limit), actor, reason)

    @app.get(
        "/v1/events/stream",
        tags=["events"],
        summary="Server-sent events: every event after `since` (or Last-Event-ID), then new ones",
        response_class=StreamingResponse,
        responses={"200": {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
    )
    async def stream(
        request: Request,
        actor: Acting,
        since: Annotated[int | None, Query(ge=0, le=2**62)] = None,
        last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
        reason: Reason = None,
    ) -> StreamingResponse:
        start = since if since is not None else _last_event_id(last_event_id)
        reveal = reads.log_reveal(api, actor, reason)  # the read policy, before streaming
        return StreamingResponse(
            _follow(api, settings, request, start, reveal),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    add_read_routes(app, api, Acting, ERRORS)

    @app.get("/v1/health", tags=["health"], summary="Store reachable, projection lag")
    def health() -> JSONResponse:
        data = reads.health(api)
        return JSONResponse(data, status_code=200 if data["status"] == "ok" else 503)

    app.openapi = _openapi(app)  # type: ignore[method-assign]
    asgi: Any = LimitsMiddleware(app, settings)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
        )
    return asgi


def _command_route(
    app: FastAPI, api: RendaAPI, spec: CommandSpec, acting: Any, idempotency_key: Any
) -> None:
    name = spec.name

    async def endpoint(request: Request, actor: acting, key: idempotency_key = None) -> Any:
        data = _json_object(await request.body())
        outcome = await run_in_threadpool(run_command, api, name, data, actor, key)
        headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
        return JSONResponse(outcome.to_dict(), headers=headers)

    roles = ", ".join(sorted(spec.roles))
    app.add_api_route(
        f"/v1/commands/{name}",
        endpoint,
        methods=["POST"],
        tags=["commands"],
        summary=spec.summary,
        description=f"Command `{name}`. Roles allowed: {roles}.",
        operation_id=f"command_{name.replace('.', '_')}",
        responses=ERRORS,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{spec.model.__name__}"}
                    }
                },
            }
        },
    )


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The generated document, with every command's model and the problem schema."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        template = "#/components/schemas/{model}"
        models: list[type[BaseModel]] = [Envelope, *(s.model for s in COMMANDS.values())]
        for model in models:
            schema = model.model_json_schema(ref_template=template)
            schemas.update(schema.pop("$defs", {}))
            schemas[model.__name__] = schema
        envelope = {**schemas["Envelope"], "title": "BatchEnvelope"}
        envelope["required"] = [f for f in envelope.get("required", []) if f != "actor"]
        envelope["description"] = (
            "An envelope of `renda import`; `actor` may be left out (the token's is used) "
            "and, when given, must be the token's actor and role."
        )
        schemas["BatchEnvelope"] = envelope
        schemas["Problem"] = PROBLEM_SCHEMA
        for path in doc["paths"].values():
            for operation in path.values():
                for code, response in operation.get("responses", {}).items():
                    if code in ERRORS:
                        response["content"] = {
                            MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                        }
        doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        doc["security"] = [{"bearer": []}]
        app.openapi_schema = doc
        return doc

    return build


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(RendaError)
    async def renda_error(request: Request, exc: RendaError) -> JSONResponse:
        locale = _locale(request)
        return _problem_response(*from_error(exc, request.url.path, locale), locale=locale)

    @app.exception_handler(Problem)
    async def http_problem(request: Request, exc: Problem) -> JSONResponse:
        locale = _locale(request)
        status, body = problem(exc.kind, exc.detail, instance=request.url.path, locale=locale)
        return _problem_response(status, body, exc.headers, locale)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        locale = _locale(request)
        fields = [
            field_error(
                ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "header"))
                or "input",
                e,
            )
            for e in exc.errors()
        ]
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        error = InvalidInput(f"invalid input — {summary}", fields)
        status, body = from_error(error, request.url.path, locale)
        return _problem_response(status, body, locale=locale)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        locale = _locale(request)
        text = translated(str(exc.detail), locale)
        body = {
            "type": TYPE_PREFIX + kind,
            "title": text,
            "status": exc.status_code,
            "detail": text,
            "instance": request.url.path,
        }
        return _problem_response(exc.status_code, body, getattr(exc, "headers", None), locale)


def _json_object(body: bytes) -> dict[str, Any]:
    """A command's body: one JSON object."""
    try:
        data = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        raise InvalidInput(
            "the body is not valid JSON", [{"field": "body", "message": "not JSON"}]
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput(
            "the body is a JSON object (the command's data)",
            [{"field": "body", "message": "expected an object"}],
        )
    return data


def _envelopes(body: bytes, content_type: str) -> list[Any]:
    """A batch's envelopes: a JSON array, or JSON Lines (``application/x-ndjson``)."""
    try:
        if "ndjson" in content_type or "jsonl" in content_type:
            text = body.decode("utf-8-sig")
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        data = json.loads(body or b"[]")
    except (ValueError, RecursionError):
        raise InvalidInput(
            "the body is not valid JSON (an array of envelopes, or JSON Lines)",
            [{"field": "body", "message": "not JSON"}],
        ) from None
    if not isinstance(data, list):
        raise InvalidInput(
            "the body is a JSON array of envelopes", [{"field": "body", "message": "not an array"}]
        )
    return data


def _last_event_id(value: str | None) -> int:
    if value is None or not value.strip():
        return 0
    if not value.strip().isdigit() or len(value) > 19:
        raise InvalidInput(
            "Last-Event-ID is the position of an event",
            [{"field": "Last-Event-ID", "message": "a whole number"}],
        )
    return int(value)


async def _follow(
    api: RendaAPI, settings: HttpSettings, request: Request, since: int, reveal: bool = True
) -> AsyncIterator[str]:
    """Every event after ``since``, then each new one, for ``stream_seconds``; a comment
    line every 15 seconds keeps proxies from closing a quiet stream."""
    position = since
    loop = asyncio.get_running_loop()
    ends = loop.time() + settings.stream_seconds
    quiet_since = loop.time()
    yield "retry: 1000\n\n"
    while loop.time() < ends:
        page = await run_in_threadpool(
            functools.partial(reads.events_page, api, position, settings.page_limit, reveal=reveal)
        )
        for item in page["items"]:
            data = json.dumps(item, ensure_ascii=False)
            yield f"id: {item['sequence']}\nevent: renda\ndata: {data}\n\n"
            position = int(item["sequence"])
        if page["items"]:
            quiet_since = loop.time()
            continue
        if await request.is_disconnected():
            return
        if loop.time() - quiet_since >= KEEP_ALIVE_SECONDS:
            yield ": keep-alive\n\n"
            quiet_since = loop.time()
        await asyncio.sleep(settings.poll_seconds)
