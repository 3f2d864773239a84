"""``renda``: the reference command-line driver.

Commands stay thin: parse → call the application → render. Domain errors become a
:class:`~renda_core.cli.common.RendaClickError` with the documented exit code of their
kind (``docs/cli.md``). Plugins add commands through ``renda_register_commands``.

The top-level commands are listed here by name and imported when one is run
(:mod:`renda_core.cli.lazy`): add a command with one line in :data:`COMMAND_SOURCES`, then
``python -m renda_core.docgen cli-index > src/renda_core/cli/_index.json``.
:func:`load_everything` imports the whole tree (docs, convention tests).
"""

from __future__ import annotations

import click

from renda_core.cli.context import Env
from renda_core.cli.i18n import TranslatedWhenShown, localize_tree
from renda_core.cli.lazy import LazyGroup

#: top-level command name → ``"module:attribute"``
COMMAND_SOURCES: dict[str, str] = {
    "actor": "renda_core.cli.actor:actor",
    "area": "renda_core.cli.area:area",
    "body": "renda_core.cli.committee:body",
    "campaign": "renda_core.cli.plan:campaign",
    "inspection": "renda_core.cli.inspection:inspection",
    "meeting": "renda_core.cli.meeting:meeting",
    "member": "renda_core.cli.committee:member",
    "motion": "renda_core.cli.motion:motion",
    "plan": "renda_core.cli.plan:plan",
    "term": "renda_core.cli.mandate:term",
    "audit": "renda_core.cli.audit:audit",
    "bulletin": "renda_core.cli.bulletin:bulletin",
    "calendar": "renda_core.cli.calendar:calendar",
    "clock": "renda_core.cli.notify:clock",
    "commands": "renda_core.cli.meta:commands_list",
    "contact": "renda_core.cli.notify:contact",
    "deliver": "renda_core.cli.notify:deliver",
    "demo": "renda_core.cli.tour:demo",
    "deputy": "renda_core.cli.deputy:deputy",
    "events": "renda_core.cli.events:events",
    "group": "renda_core.cli.group:group",
    "import": "renda_core.cli.importer:import_file",
    "inbox": "renda_core.cli.notify:inbox",
    "opinion": "renda_core.cli.opinion:opinion",
    "plugins": "renda_core.cli.meta:plugins_list",
    "projections": "renda_core.cli.projections:projections",
    "report": "renda_core.cli.report:report",
    "schema": "renda_core.cli.importer:schema",
    "serve": "renda_core.cli.serve:serve",
    "session": "renda_core.cli.session:session",
    "station": "renda_core.cli.station:station",
    "store": "renda_core.cli.store:store",
    "suggestion": "renda_core.cli.suggestion:suggestion",
    "token": "renda_core.cli.token:token",
    "training": "renda_core.cli.training:training",
}
#: subcommands defined in other modules: ``"module:attribute"`` is added to the group,
#: a plain module is imported for the commands it adds itself
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "deputy": (
        "renda_core.cli.office:deputy_import",
        "renda_core.cli.accountability",
        "renda_core.cli.mandate",
        "renda_core.cli.lifecycle",
    ),
    "term": ("renda_core.cli.lifecycle",),
    "session": (
        "renda_core.cli.meeting:session_attendance",
        "renda_core.cli.meeting:session_warnings",
    ),
    "suggestion": ("renda_core.cli.extension", "renda_core.cli.assign_batch:assign_batch"),
}


@click.group(cls=LazyGroup, sources=COMMAND_SOURCES, extensions=EXTENSIONS)
@click.version_option(
    package_name="renda", message=TranslatedWhenShown("%(prog)s, version %(version)s")
)
@click.option(
    "--store",
    envvar="RENDA_STORE",
    help="Event store: a SQLite file path (default renda.sqlite) or "
    "postgresql://user:pass@host:port/db. Env: RENDA_STORE.",
)
@click.option(
    "--read-only",
    is_flag=True,
    envvar="RENDA_READ_ONLY",
    help="Open a SQLite store for reading only: nothing is written to it, not even its "
    "views (reports catch up copies in a temporary folder); writing commands fail with "
    "exit 8. Automatic when the file or its folder is not writable. Env: RENDA_READ_ONLY.",
)
@click.option(
    "--actor",
    envvar="RENDA_ACTOR",
    help="Who is acting (recorded on every event). Env: RENDA_ACTOR.",
)
@click.option(
    "--role",
    envvar="RENDA_ROLE",
    help="Role of the actor: staff (default), auditor, editor, deputy:<id>, "
    "unit:<name>, leader:<name>. Env: RENDA_ROLE.",
)
@click.pass_context
def cli(
    ctx: click.Context,
    /,
    store: str | None,
    read_only: bool,
    actor: str | None,
    role: str | None,
) -> None:
    """renda (人大): the work of people's congress deputies, as an event log.

    Every change is an event; reports are projections of the log; auditors replay it.
    """
    obj = ctx.ensure_object(Env)
    # An explicitly empty option is an error later, never the default: keep "" as given.
    obj.store = obj.store if obj.store is not None else store
    obj.read_only = obj.read_only or read_only
    obj.actor_id = obj.actor_id if obj.actor_id is not None else actor
    obj.role = obj.role if obj.role is not None else role
    if actor is not None or role is not None:
        obj.actor()  # a given --actor/--role is checked even when only reading (exit 3)
    ctx.call_on_close(obj.close)


localize_tree(cli)  # --lang on the root; the listing and help in the active language


def load_everything() -> click.Group:
    """The whole command tree imported: every built-in command and the plugins' ones."""
    assert isinstance(cli, LazyGroup)
    cli.load_all()
    return cli
