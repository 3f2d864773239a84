"""``renda serve``: the HTTP API over the store (``docs/http.md``)."""

from __future__ import annotations

import click

from renda_core.cli.common import env


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--max-body",
    type=click.IntRange(min=1),
    default=1_048_576,
    show_default=True,
    help="Largest request body in bytes (413 above it).",
)
@click.option(
    "--max-batch",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Most commands in one POST /v1/commands:batch (413 above it).",
)
@click.option(
    "--rate",
    type=click.IntRange(min=0),
    default=600,
    show_default=True,
    help="Requests per minute per token (429 above it); 0: no limit.",
)
@click.option(
    "--burst",
    type=click.IntRange(min=1),
    default=60,
    show_default=True,
    help="Requests a client may send at once before --rate applies.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="An origin allowed by CORS (repeatable); none: CORS is off.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    /,
    host: str,
    port: int,
    max_body: int,
    max_batch: int,
    rate: int,
    burst: int,
    cors_origins: tuple[str, ...],
) -> None:
    """Serve the HTTP API (needs the renda[http] extra). Requests act as the actor and
    role of their bearer token (renda token issue); see docs/http.md."""
    try:
        import uvicorn

        from renda_core.http.app import create_app
        from renda_core.http.limits import HttpSettings
    except ImportError as exc:
        raise click.ClickException(
            f"renda serve needs FastAPI and uvicorn ({exc.name} is missing): "
            "pip install 'renda[http]'"
        ) from None
    settings = HttpSettings(
        max_body_bytes=max_body,
        max_batch=max_batch,
        rate_per_minute=rate,
        burst=burst,
        cors_origins=cors_origins,
    )
    app = create_app(env(ctx).api(), settings)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True)
