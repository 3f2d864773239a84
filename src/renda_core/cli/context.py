"""What travels in ``ctx.obj``: the store, the actor, and lazily the opened store.

The CLI opens its store with the public API's :func:`~renda_core.api.facade.open_store`
(plugins, the deadline policy and calendar years in force), so the CLI and an
embedding system record the same events for the same commands. Tests inject a ready
application (``CliRunner().invoke(cli, args, obj=Env(app=...))``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when used: ``renda --help`` opens no store
    import pluggy

    from renda_core.api.facade import RendaAPI
    from renda_core.application.app import Renda
    from renda_core.application.reader import RendaReader
    from renda_core.application.store import StoreConfig
    from renda_core.domain.values import Actor
    from renda_core.ports.contracts import Projection, Report
    from renda_core.projections.runner import ProjectionRunner


def default_actor() -> str:
    import getpass  # here: a command that records nothing needs no user name

    try:
        return os.environ.get("RENDA_ACTOR") or getpass.getuser()
    except Exception:  # no user name on some containers
        return "renda"


def os_user() -> str | None:
    """The operating-system user running this process: the account of its user id
    (not ``RENDA_ACTOR``, nor ``USER``/``LOGNAME``, which anyone can set)."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, AttributeError):  # no passwd entry (containers), Windows
        import getpass

        try:
            return getpass.getuser()
        except Exception:
            return None


@dataclass
class Env:
    store: str | None = None
    actor_id: str | None = None
    role: str | None = None
    read_only: bool = False
    app: Renda | None = None
    as_json: bool = False  # set by ``--json``: errors are printed as JSON too
    pm: pluggy.PluginManager | None = None
    # None: RENDA_REQUIRE_REGISTERED_ACTORS decides (the demo opts out with False)
    require_registered_actors: bool | None = None
    _api: RendaAPI | None = field(default=None, repr=False)
    _reader: tuple[RendaReader, ProjectionRunner] | None = field(default=None, repr=False)

    def api(self) -> RendaAPI:
        """The opened store, as the public API gives it (opened on first use)."""
        if self._api is None:
            from renda_core.api.facade import open_store, wrap

            if self.app is not None:  # injected: used as it is, left open on close
                self._api = wrap(self.app, self.plugins())
            else:
                self._api = open_store(
                    self.store_config(),
                    self.plugins(),
                    require_registered_actors=self.require_registered_actors,
                )
                self.app = self._api._application
        return self._api

    def get_app(self) -> Renda:
        return self.api()._application

    def store_config(self) -> StoreConfig:
        """The store as chosen (``--store``, ``--read-only``), or the injected app's."""
        if self.app is not None:
            return self.app.store
        from renda_core.application.store import parse_store

        return parse_store(self.store, read_only=self.read_only)

    def actor(self) -> Actor:
        """The acting user; an explicitly empty ``--actor ''`` or ``--role ''`` is an
        error (exit 3), never the default. The OS user running the CLI is recorded
        beside the claimed actor (``os_user``)."""
        from renda_core.application.commands import make_actor

        claimed = make_actor(
            default_actor() if self.actor_id is None else self.actor_id,
            (os.environ.get("RENDA_ROLE") or "staff") if self.role is None else self.role,
        )
        return replace(claimed, os_user=os_user())

    def plugins(self) -> pluggy.PluginManager:
        if self.pm is None:
            from renda_core.ports.plugins import get_plugin_manager

            self.pm = get_plugin_manager()
        return self.pm

    def projections(self) -> dict[str, Projection]:
        from renda_core.ports.plugins import collect_projections

        return collect_projections(self.plugins())

    def reports(self) -> dict[str, Report]:
        from renda_core.ports.plugins import collect_reports

        return collect_reports(self.plugins())

    def runner(self) -> ProjectionRunner:
        return self.api()._shared.runner()

    def read_runner(self, plugins: pluggy.PluginManager | None = None) -> ProjectionRunner:
        """The views' runner for a command that only reads them (a report): the opened
        store's when there is one (or an injected application), else a
        :class:`~renda_core.application.reader.RendaReader`'s, which imports no command.

        ``plugins``: whose views the reader's runner holds, when it is opened here and no
        plugin manager was injected (a report passes one holding only the adapters it
        reads); by default :meth:`plugins`."""
        if self.app is not None or self._api is not None:
            return self.runner()
        if self._reader is None:
            from renda_core.application.reader import open_reader

            chosen = plugins if plugins is not None and self.pm is None else self.plugins()
            self._reader = open_reader(self.store_config(), chosen)
        return self._reader[1]

    def close(self, *_: Any) -> None:
        if self._reader is not None:
            reader, runner = self._reader
            self._reader = None
            try:
                runner.close()
            finally:
                reader.close()
        if self._api is not None:
            owned = self._api._shared.owns_application
            self._api.close()
            self._api = None
            if owned:
                self.app = None
