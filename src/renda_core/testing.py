"""Contract test cases for plugin authors (as eventsourcing ships recorder test cases).

Subclass :class:`ProjectionContract` in your plugin's tests, give it your projection and
a scenario of commands, and pytest runs the checks every projection must pass::

    from renda_core.testing import ProjectionContract

    class TestMyProjection(ProjectionContract):
        def make_projection(self):
            return MyProjection()

        def scenario(self, app, actor):
            app.register_deputy({...}, actor)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from renda_core.application.app import Renda
from renda_core.domain.values import Actor
from renda_core.ports.contracts import Projection
from renda_core.projections.runner import ProjectionRunner
from renda_core.projections.views import VIEW_NAME


class ProjectionContract:
    """Checks: valid name and topics, catch-up is idempotent, a rebuild gives the same
    view as incremental delivery, batch size does not change the result."""

    actor = Actor("contract-test", "staff")

    def make_projection(self) -> Projection:
        raise NotImplementedError

    def scenario(self, app: Renda, actor: Actor) -> None:
        """Issue the commands whose events the projection should see."""
        raise NotImplementedError

    def store_url(self, tmp_path: Path) -> str:
        """Override to run the contract on PostgreSQL."""
        return str(tmp_path / "contract.sqlite")

    # -- helpers ----------------------------------------------------------------

    def _snapshot(self, runner: ProjectionRunner, name: str) -> Any:
        view = runner.view(name)
        figures = sorted(
            (f.figure, f.key, f.area, f.level, f.year, f.value) for f in view.figures()
        )
        return figures

    def _run(self, tmp_path: Path, batch_size: int) -> tuple[Any, Any, int]:
        projection = self.make_projection()
        folder = tmp_path / f"batch{batch_size}"
        folder.mkdir(exist_ok=True)
        with Renda(self.store_url(folder)) as app:
            self.scenario(app, self.actor)
            runner = ProjectionRunner(app, {projection.name: projection}, batch_size=batch_size)
            try:
                (first,) = runner.catch_up()
                assert first.error is None, first.error
                incremental = self._snapshot(runner, projection.name)
                (again,) = runner.catch_up()
                assert again.processed == 0, "a second catch-up delivered events again"
                (rebuilt,) = runner.rebuild()
                assert rebuilt.error is None, rebuilt.error
                return incremental, self._snapshot(runner, projection.name), first.processed
            finally:
                runner.close()

    # -- the contract -----------------------------------------------------------

    def test_name_and_topics(self) -> None:
        projection = self.make_projection()
        assert isinstance(projection, Projection)
        assert VIEW_NAME.match(projection.name), f"bad view name {projection.name!r}"
        assert all(t.startswith("renda:") or ":" in t for t in projection.topics)

    def test_rebuild_equals_incremental_and_catch_up_is_idempotent(self, tmp_path: Path) -> None:
        incremental, rebuilt, processed = self._run(tmp_path, 1000)
        assert processed > 0, "the scenario produced no event of the projection's topics"
        assert rebuilt == incremental

    def test_batch_size_does_not_change_the_view(self, tmp_path: Path) -> None:
        big, _, _ = self._run(tmp_path, 1000)
        small, _, _ = self._run(tmp_path, 2)
        assert small == big
