"""``renda report <name>``: one subcommand per registered report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from renda_core.cli.asof import as_of_params, take_as_of
from renda_core.cli.common import RendaGroup, choices, emit, env, parse_level
from renda_core.cli.context import Env
from renda_core.cli.lazy import LazyGroup, external_plugins_installed, no_entry_points
from renda_core.cli.shaping import export_params
from renda_core.domain.values import Level
from renda_core.ports.builtin_index import (
    BuiltinPlugins,
    command_modules,
    modules_for_report,
    report_index,
)
from renda_core.projections import asof
from renda_core.projections.provenance import stamp_report
from renda_core.projections.reports import run_report

if TYPE_CHECKING:
    import pluggy


class ReportGroup(RendaGroup):
    """``renda report <name>``: one subcommand per report that plugins registered, plus
    commands added to the group directly (``renda report annual``).

    A report imports only the built-in adapters it needs (the one registering it and the
    one registering its view: :mod:`renda_core.ports.builtin_index`), and the installed
    plugins; the built-in adapters' own commands of this group are imported when one of
    them is asked for. A plugin manager put in ``ctx.obj`` is used as it is. When no
    installed plugin may be loaded (:func:`~renda_core.cli.lazy.no_entry_points`), a
    built-in report is found without a plugin manager
    (:class:`~renda_core.ports.builtin_index.BuiltinPlugins`: pluggy is imported only if
    the report takes the whole path).
    """

    #: the built-in adapters' commands (``annual``, ``handling``, ``assessment``) are
    #: added when asked for, not when the group is loaded (:mod:`renda_core.cli.lazy`)
    lazy_builtin_commands = True

    def _injected(self, ctx: click.Context) -> pluggy.PluginManager | None:
        obj = ctx.find_object(Env)
        return obj.pm if obj is not None else None

    def _add_builtin_command(self, ctx: click.Context, name: str) -> None:
        """Run the ``renda_register_commands`` of the built-in adapter that adds ``name``
        to this group (each plugin's hook runs once: :class:`LazyGroup` keeps count)."""
        module = command_modules("report").get(name)
        root = ctx.find_root().command
        if module is not None and isinstance(root, LazyGroup):
            root._add_plugin_commands(builtins=[module])

    def list_commands(self, ctx: click.Context) -> list[str]:
        pm = self._injected(ctx)
        if pm is not None:
            from renda_core.ports.plugins import collect_reports

            names = set(collect_reports(pm))
        else:
            names = set(report_index()) | set(command_modules("report"))
            if external_plugins_installed():
                from renda_core.ports.plugins import collect_reports, get_plugin_manager

                names |= set(collect_reports(get_plugin_manager(builtins=False)))
        return sorted(set(self.commands) | names)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands:
            self._add_builtin_command(ctx, name)
        if name in self.commands:
            return self.commands[name]
        injected = self._injected(ctx)
        modules = modules_for_report(name)
        if injected is None and modules is not None and no_entry_points():
            builtins = BuiltinPlugins(modules)
            found = builtins.reports().get(name)
            return None if found is None else _report_command(found, builtins)
        from renda_core.ports.plugins import collect_reports, report_plugin_manager

        pm = injected if injected is not None else report_plugin_manager(name)
        report = collect_reports(pm).get(name)
        if report is None:
            return None
        return _report_command(report, None if injected is not None else pm)


def _report_command(
    report: Any, plugins: pluggy.PluginManager | BuiltinPlugins | None = None
) -> click.Command:
    """The command of ``report``; with ``plugins`` (those the report needs), a reader
    opened for it holds only their views."""

    @click.pass_context
    def run(
        ctx: click.Context,
        /,
        as_json: bool,
        as_of: str | None,
        as_of_date: str | None,
        area: str | None,
        level: str | None,
        lang: str,
        **options: Any,
    ) -> None:
        e = env(ctx)
        level_value = None
        if level:
            level_value = parse_level(ctx, level, area)
        moment = take_as_of(as_of, as_of_date)
        built_at = asof.now()
        if moment is None and e.app is None and e._api is None:
            from renda_core.projections.reader import current_report

            chosen = plugins if plugins is not None and e.pm is None else e.plugins()
            current = current_report(
                e.store_config(),
                chosen,
                report,
                built_at=built_at,
                stamped=as_json,
                area=area,
                level=level_value,
                options=options,
            )
            if current is not None:  # read from the current view with sqlite3 alone
                render = (lambda: report.render(current, lang)) if report.render else None
                emit(current, as_json, render, title=report.name)
                return
        # the whole path: the reader application's runner, with a plugin manager
        manager = plugins.manager() if isinstance(plugins, BuiltinPlugins) else plugins
        data = run_report(
            e.read_runner(manager), report, as_of=moment, area=area, level=level_value, **options
        )
        if as_json:  # the JSON says what it reflects (`renda audit reproduce` checks it)
            data = stamp_report(
                e.read_runner(),
                report,
                data,
                as_of=moment,
                built_at=built_at,
                area=area,
                level=level_value,
                options=options,
            )
        render = (lambda: report.render(data, lang)) if report.render else None
        emit(data, as_json, render, title=report.name)

    params = [
        *as_of_params(),
        click.Option(["--area"], help="Only this division code prefix, e.g. 2201."),
        click.Option(["--level"], help=f"Only deputies of this level: {choices(Level)}."),
        click.Option(
            ["--lang"],
            type=click.Choice(["zh", "en"]),
            default="zh",
            show_default=True,
            help="Labels of the table.",
        ),
        click.Option(["--json", "as_json"], is_flag=True, help="Print only JSON on stdout."),
        *export_params(),
        *report.options,
    ]
    return click.Command(report.name, callback=run, params=params, help=report.title)


@click.group(cls=ReportGroup)
def report() -> None:
    """Reports read from the adapters' views (brought up to date first)."""
