"""``renda suggestion request-extension | decide-extension``: extensions of the reply
deadline (延期办理), requested by the lead unit and decided by the office.

Rules (docs/suggestions.md, "Extensions"): requested and decided before the due date;
a grant after the due date is refused (exit 5) and the reply is counted late; never
past the policy's total from 交办 (Deputies Law Art. 51: 6 months). ``suggestion
extend`` stays as the office's own decision without a request, by the same rules.
"""

from __future__ import annotations

from typing import Any

import click

from renda_core.cli.common import date_option
from renda_core.cli.suggestion import _apply, _done, suggestion


@suggestion.command(name="request-extension")
@click.argument("suggestion_id")
@click.option("--until", required=True, help="Reply date asked for (YYYY-MM-DD).")
@click.option("--reason", required=True, help="The unit's reasons (申请延期理由).")
@click.option("--unit", help="The lead unit (default: the acting unit).")
@date_option()
@click.pass_context
def suggestion_request_extension(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """The lead unit asks for a later reply date, before the due date (申请延期)."""
    _apply(ctx, "request_extension", suggestion_id, on, **fields)
    _done(ctx, suggestion_id, f"extension to {fields['until']} requested")


@suggestion.command(name="decide-extension")
@click.argument("suggestion_id")
@click.option("--grant/--refuse", required=True, help="Grant or refuse the pending request.")
@click.option("--note", help="Note to the unit (required when refusing).")
@date_option()
@click.pass_context
def suggestion_decide_extension(
    ctx: click.Context, /, suggestion_id: str, on: str | None, grant: bool, note: str | None
) -> None:
    """The office grants or refuses the pending extension request (延期审批); a grant
    after the due date is refused (exit 5)."""
    _apply(ctx, "decide_extension", suggestion_id, on, grant=grant, note=note)
    _done(ctx, suggestion_id, "extension granted" if grant else "extension refused", dues=True)
