"""The public API: what ``renda_core.open`` returns, on SQLite and PostgreSQL."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest

import renda_core
from renda_core import (
    Actor,
    ConcurrentModification,
    DeputyView,
    InvalidInput,
    NotFound,
    RendaAPI,
    SuggestionView,
    retry_on_conflict,
)
from renda_core.application.commands import COMMANDS
from renda_core.application.inputs import dates_as_of
from renda_core.projections.log import count_events
from tests.conftest import STAFF, register_payload

UNIT = "省商务厅"


@pytest.fixture
def api(store: str) -> Iterator[RendaAPI]:
    with renda_core.open(store, actor=STAFF) as opened:
        yield opened


def deputy(api: RendaAPI, name: str, level: str = "provincial", area: str = "222401") -> str:
    return str(api.register_deputy(register_payload(name=name, level=level, area=area)))


def assigned(api: RendaAPI, lead: str, title: str, on: str = "2024-09-27") -> str:
    as_lead = Actor(lead, f"deputy:{lead}")
    sid = api.draft_suggestion(
        {
            "title": title,
            "body": "建议内容",
            "channel": "recess",
            "source": "forum",
            "date": "2024-09-01",
        },
        as_lead,
    )
    api.submit_suggestion({"suggestion_id": sid, "date": "2024-09-10"}, as_lead)
    api.accept_suggestion({"suggestion_id": sid, "date": "2024-09-20"})
    api.assign_suggestion({"suggestion_id": sid, "lead_unit": UNIT, "date": on})
    return str(sid)


def test_reads_are_typed_views(api: RendaAPI) -> None:
    did = deputy(api, "金美玉")
    view = api.get_deputy(did)
    assert isinstance(view, DeputyView)
    assert view.name == "金美玉" and view.level == "provincial" and view.level_label == "省"
    assert view.registered_on == date(2023, 1, 16) and view.status == "active"
    assert view.model_dump()["liaisons"] == []  # the record's other data is kept
    sid = assigned(api, did, "关于加快边境口岸建设的建议")
    suggestion = api.get_suggestion(sid)
    assert isinstance(suggestion, SuggestionView)
    assert suggestion.status == "assigned" and suggestion.lead_unit == UNIT
    assert suggestion.reply_due == date(2024, 12, 27) and suggestion.policy == "national"
    with pytest.raises(NotFound):
        api.get_deputy(str(UUID(int=1)))
    with pytest.raises(NotFound):
        api.get_suggestion(did)  # a deputy's id is not a suggestion's


def test_every_application_command_has_its_typed_method() -> None:
    for spec in COMMANDS.values():
        method = getattr(RendaAPI, spec.method, None)
        assert method is not None, f"RendaAPI has no {spec.method} ({spec.name})"
        params = list(inspect.signature(method).parameters)
        assert params == ["self", "command", "actor"], spec.name
        assert spec.name in (method.__doc__ or ""), spec.name


def test_commands_run_by_name_and_need_an_actor(store: str) -> None:
    with renda_core.open(store) as api:  # no default actor
        with pytest.raises(InvalidInput, match="no actor"):
            api.register_deputy(register_payload())
        did = api.execute("deputy.register", register_payload(), STAFF)
        assert api.get_deputy(str(did)).name == "金美玉"
        clerk = api.acting_as(STAFF)
        clerk.liaise_deputy({"deputy_id": did, "member": "常委会委员 周敏", "date": "2023-02-01"})
        clerk.close()  # closes nothing: the store stays open for api
        assert api.get_deputy(str(did)).liaison == "常委会委员 周敏"
        with pytest.raises(InvalidInput, match="no command named"):
            api.execute("deputy.nope", {}, STAFF)


def test_eventsourcing_internals_are_not_on_the_public_object(api: RendaAPI) -> None:
    for name in ("save", "repository", "recorder", "batch", "notification_log", "mapper"):
        assert not hasattr(api, name), name
    public = {n for n in dir(api) if not n.startswith("_")}
    assert "unit_of_work" in public and "history" in public


def test_history_of_a_record(api: RendaAPI) -> None:
    did = deputy(api, "金美玉")
    api.liaise_deputy({"deputy_id": did, "member": "常委会委员 周敏", "date": "2023-02-01"})
    history = api.history(did)
    assert [e.topic for e in history] == ["renda:Deputy.Registered", "renda:Deputy.LiaisonAssigned"]
    assert [e.version for e in history] == [1, 2]
    assert history[0].actor == {"id": "clerk-1", "role": "staff"}
    assert history[1].data["member"] == "常委会委员 周敏" and history[0].record_id == did
    with pytest.raises(NotFound):
        api.history(str(UUID(int=7)))
    with pytest.raises(InvalidInput):
        api.history("not-an-id")


def test_list_deputies_filters_and_pages(api: RendaAPI) -> None:
    names = ["甲", "乙", "丙", "丁", "戊"]
    ids = {n: deputy(api, n) for n in names}
    deputy(api, "己", level="county", area="220102")
    api.terminate_deputy({"deputy_id": ids["乙"], "reason": "resignation", "date": "2024-01-02"})
    everyone = api.list_deputies(limit=1000)
    assert len(everyone.items) == 6 and everyone.next_after is None
    assert [d.name for d in api.list_deputies(level="县").items] == ["己"]
    assert {d.name for d in api.list_deputies(area="2224", status="active").items} == {
        "甲", "丙", "丁", "戊"
    }  # fmt: skip
    provincial = [d.id for d in api.list_deputies(level="provincial").items]
    seen: list[str] = []
    page = api.list_deputies(level="provincial", limit=2)
    while True:
        seen += [d.id for d in page.items]
        assert len(page.items) <= 2
        if page.next_after is None:
            break
        page = api.list_deputies(level="provincial", limit=2, after=page.next_after)
    assert seen == provincial and len(seen) == 5
    with pytest.raises(InvalidInput, match="limit"):
        api.list_deputies(limit=0)
    with pytest.raises(InvalidInput, match="after"):
        api.list_deputies(after=str(UUID(int=3)))
    with pytest.raises(InvalidInput, match="level"):
        api.list_deputies(level="galactic")


def test_list_suggestions_filters_and_pages(api: RendaAPI) -> None:
    with dates_as_of(date(2024, 12, 31)):
        lead = deputy(api, "金美玉")
        first = assigned(api, lead, "一号建议", on="2024-09-27")
        second = assigned(api, lead, "二号建议", on="2024-09-28")
        api.reply_suggestion(
            {"suggestion_id": second, "result_class": "A", "text": "已解决", "date": "2024-11-01"},
            Actor("办理人", f"unit:{UNIT}"),
        )
        as_lead = Actor(lead, f"deputy:{lead}")
        draft = api.draft_suggestion(
            {"title": "草稿", "body": "x", "channel": "recess", "source": "forum",
             "date": "2024-10-01"},
            as_lead,
        )  # fmt: skip
    submitted = sorted([first, second])  # submitted the same day: by id
    everything = api.list_suggestions()
    assert [s.id for s in everything.items] == [*submitted, str(draft)]  # drafts last
    assert [s.id for s in api.list_suggestions(status="assigned").items] == [first]
    assert [s.id for s in api.list_suggestions(status="已答复").items] == [second]
    assert {s.id for s in api.list_suggestions(unit=UNIT).items} == {first, second}
    assert api.list_suggestions(unit="省教育厅").items == []
    assert [s.id for s in api.list_suggestions(year=2024, deputy=lead).items] == submitted
    page = api.list_suggestions(limit=2)
    assert [s.id for s in page.items] == submitted and page.next_after == submitted[-1]
    rest = api.list_suggestions(limit=2, after=page.next_after)
    assert [s.id for s in rest.items] == [str(draft)] and rest.next_after is None
    with pytest.raises(InvalidInput, match="status"):
        api.list_suggestions(status="lost")


def test_reports_by_name_include_annual(api: RendaAPI) -> None:
    deputy(api, "金美玉")
    assert {"annual", "deputies", "suggestions"} <= set(api.report_names())
    assert api.report("deputies")["active_total"] == 1
    assert api.report("deputies", level="county")["active_total"] == 0
    annual = api.report("annual", year=2023, level="provincial")
    assert annual["meta"]["year"] == 2023 and annual["meta"]["level"] == "provincial"
    assert {"training", "stations", "liaison", "suggestions"} <= set(annual)
    with pytest.raises(InvalidInput, match="no report named 'nope'"):
        api.report("nope")
    with pytest.raises(InvalidInput, match="year"):
        api.report("annual")  # the annual report needs its year
    assert api.catch_up()["deputy_roster"] is None


def test_a_unit_of_work_writes_all_or_nothing(api: RendaAPI) -> None:
    with api.unit_of_work():
        did = deputy(api, "金美玉")
        api.liaise_deputy({"deputy_id": did, "member": "周敏", "date": "2023-02-01"})
    assert [e.version for e in api.history(did)] == [1, 2]
    before = api.list_deputies().items
    with pytest.raises(RuntimeError, match="boom"), api.unit_of_work():
        deputy(api, "李春华")
        raise RuntimeError("boom")
    assert api.list_deputies().items == before


def test_retry_on_conflict_retries_conflicts_only() -> None:
    calls: list[int] = []

    @retry_on_conflict(wait_initial=0.001, wait_max=0.002)
    def flaky(times: int) -> str:
        calls.append(1)
        if len(calls) <= times:
            raise ConcurrentModification("lost a race")
        return "done"

    assert flaky(2) == "done" and len(calls) == 3
    calls.clear()
    with pytest.raises(ConcurrentModification):
        flaky(10)
    assert len(calls) == 5  # the default number of attempts

    @retry_on_conflict
    def refused() -> None:
        calls.append(1)
        raise NotFound("no such record")

    calls.clear()
    with pytest.raises(NotFound):
        refused()
    assert len(calls) == 1


def test_threads_share_one_opened_store(api: RendaAPI) -> None:
    """One RendaAPI serves several threads: commands each in their own write, and
    queries (which catch the views up) one at a time."""
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(3):
                deputy(api, f"代表{n}-{i}")
                api.list_deputies(limit=1000)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(api.list_deputies(limit=1000).items) == 12


def test_open_applies_the_policy_and_calendar_years_from_the_plugins(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    renda_jilin = pytest.importorskip("renda_jilin")
    monkeypatch.delenv("RENDA_DEADLINE_POLICY", raising=False)
    with renda_core.open(store, plugins=[renda_jilin]) as api:
        assert api.policy == "jilin"
    with renda_core.open(store, plugins=[renda_jilin], policy="national") as api:
        assert api.policy == "national"
    with pytest.raises(InvalidInput, match="no deadline policy named 'mars'"):
        renda_core.open(store, policy="mars")


def test_errors_record_nothing(api: RendaAPI, store: str) -> None:
    did = deputy(api, "金美玉")
    with renda_core.Renda(store) as internal:
        before = count_events(internal)
    with pytest.raises(renda_core.RuleViolated):
        api.terminate_deputy({"deputy_id": did, "reason": "death", "date": "2022-01-01"})
    with pytest.raises(renda_core.Forbidden):
        api.register_deputy(register_payload(), Actor("someone", "auditor"))
    with renda_core.Renda(store) as internal:
        assert count_events(internal) == before


def test_public_names_are_what_all_lists() -> None:
    for name in renda_core.__all__:
        assert hasattr(renda_core, name), name
    assert "Renda" not in renda_core.__all__  # internal, importable for the test suite


def test_an_area_given_as_a_divisions_own_code_is_that_division(api: RendaAPI) -> None:
    """延边州's own code 222400 is the prefix 2224 (as a prefix it matched that code
    alone: a list or a report of the prefecture was empty); the province's 220000 is 22;
    a padded twelve-digit code its shorter one."""
    deputy(api, "甲")  # 222401
    deputy(api, "己", level="county", area="220102")
    by_prefix = {d.name for d in api.list_deputies(area="2224").items}
    assert by_prefix == {"甲"}
    assert {d.name for d in api.list_deputies(area="222400").items} == by_prefix
    assert {d.name for d in api.list_deputies(area="222400000000").items} == by_prefix
    assert {d.name for d in api.list_deputies(area="220000").items} == {"甲", "己"}
    assert {d.name for d in api.list_deputies(area="222401").items} == by_prefix  # a county
    assert api.report("deputies", area="222400")["active_total"] == 1
    assert api.report("deputies", area="220000")["active_total"] == 2
    annual = api.report("annual", year=2024, area="222400")
    assert annual["meta"]["area"] == "2224"


@pytest.mark.parametrize(
    ("area", "prefix"),
    [
        ("220000", "22"),
        ("220100", "2201"),
        ("429000", "4290"),
        ("220102", "220102"),
        ("2201", "2201"),
        ("22", "22"),
        ("220102001000", "220102001"),
        ("220100000000", "2201"),
        (" 220100 ", "2201"),
    ],
)
def test_area_prefix(area: str, prefix: str) -> None:
    from renda_core.domain.values import area_prefix

    assert area_prefix(area) == prefix
