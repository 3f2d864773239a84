"""The demo province, built through the application's commands.

Everything the demo records goes through the methods of :class:`~renda_core.Renda`
(``register_deputy``, ``establish_station``, ``enter_station``, …), under the actors and
roles a real province would use: county staff for stations, deputies for their own
suggestions, handling units for replies, leaders for instructions. Commands run in
batches (``app.batch()``): one per county for the stations and their year, then one each
for the provincial work (liaison, groups), training, suggestions and the bulletin; or,
with ``batch_size``, a batch every that many commands. Batches write their events in the
order the commands ran, so the log is the same whatever the batching.

Given a seed, every choice comes from ``random.Random(seed)`` and every new aggregate
gets an id derived from the seed (``uuid5``), so the same seed gives the same log
(apart from the recorded times) and the same reports.
"""

from __future__ import annotations

import random
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast
from uuid import NAMESPACE_URL, UUID, uuid5

from renda_core.application.app import Renda
from renda_core.application.commands import COMMANDS
from renda_core.demo import members, people
from renda_core.demo.accountability import constituent_reports
from renda_core.demo.geography import Map, Place, build_map, largest_remainder
from renda_core.demo.meetings import meetings
from renda_core.demo.roll import Deputy, Roll
from renda_core.demo.targets import Targets, targets_for
from renda_core.domain.division import Division
from renda_core.domain.ids import assigned_ids
from renda_core.domain.values import Actor, Level

#: Reports progress: (what is being built, steps done, steps in all).
Progress = Callable[[str, int, int], None]

NAMESPACE = uuid5(NAMESPACE_URL, "https://renda.example/demo")
YEAR = 2023
YEAR_END = date(YEAR, 12, 31)
SESSION = "吉林省第十四届人民代表大会第一次会议"
SESSION_DAYS = (date(2023, 1, 13), date(2023, 1, 17))
FORUM_DAYS = (date(2023, 3, 28), date(2023, 5, 30), date(2023, 7, 27), date(2023, 9, 26))
PROVINCE_OFFICE = Actor("吉林省人大常委会代表工作室", "staff")
EDITOR = Actor("《人大代表之声》编辑部", "editor")
LEADERS = (
    Actor("省委主要负责同志", "leader:省委书记"),
    Actor("省政府主要负责同志", "leader:省长"),
    Actor("省政府分管负责同志", "leader:常务副省长"),
)
ACTIVITY_KINDS = (
    ("face_to_face", 34),
    ("reception_day", 36),
    ("cloud_reception", 9),
    ("research", 9),
    ("inspection", 7),
    ("other", 5),
)
CHANNEL_OF = {
    "face_to_face": "visit",
    "reception_day": "reception_day",
    "cloud_reception": "cloud_reception",
    "research": "visit",
    "inspection": "visit",
    "other": "app",
}
GROUP_ACTIVITIES = (
    ("inspection", 20),
    ("research", 25),
    ("study", 20),
    ("reception", 15),
    ("mediation", 15),
    ("other", 5),
)
CLASS_WEIGHTS = {"A": 45, "B": 35, "C": 15, "D": 5}
#: (term, business date of the mandate's start) by level
TERMS = {
    Level.NATIONAL.value: (14, date(2023, 3, 5)),
    Level.PROVINCIAL.value: (14, date(2023, 1, 13)),
    Level.MUNICIPAL.value: (16, date(2021, 12, 28)),
    Level.COUNTY.value: (18, date(2021, 11, 20)),
    Level.TOWNSHIP.value: (19, date(2021, 11, 20)),
}
DUTY_TOPICS = (
    "宪法和法律法规",
    "代表依法履职",
    "人大监督工作",
    "代表建议的提出与办理",
    "基层社会治理",
)
DUTY_DAYS = (
    date(2023, 4, 10),
    date(2023, 5, 15),
    date(2023, 6, 12),
    date(2023, 9, 11),
    date(2023, 10, 16),
)
TOPICAL_2024 = (
    ("因地制宜发展新质生产力专题培训班", "因地制宜发展新质生产力", date(2024, 5, 20)),
    ("发展现代化大农业专题培训班", "发展现代化大农业", date(2024, 7, 15)),
)


@dataclass(slots=True)
class Station:
    place: Place
    established_on: date
    entering: int = 0  # how many deputies enter it, drawn by the plan
    roster: list[Deputy] = field(default_factory=list)  # while its county is written
    activities: int = 0
    pushed: int = 0


@dataclass(slots=True)
class Activity:
    on: date
    kind: str
    present: list[Deputy]


@dataclass(slots=True)
class Escalated:
    opinion: UUID
    suggestion: UUID
    deputy: Deputy
    on: date


def clamp(day: date, earliest: date, latest: date = YEAR_END) -> date:
    return max(earliest, min(day, latest))


class Batches:
    """The generator's batches: one per phase, or one every ``size`` commands."""

    def __init__(self, app: Renda, size: int | None) -> None:
        if size is not None and size < 1:
            raise ValueError("batch_size must be 1 or more")
        self.app = app
        self.size = size
        self.count = 0
        self.current: AbstractContextManager[None] | None = None
        methods = {spec.method for spec in COMMANDS.values()}
        self.commands = {name for name in methods if hasattr(app, name)}

    @contextmanager
    def phase(self) -> Iterator[None]:
        self._open()
        try:
            yield
        except BaseException as exc:
            current, self.current = self.current, None
            if current is not None:
                current.__exit__(type(exc), exc, exc.__traceback__)
            raise
        self._close()

    def _open(self) -> None:
        self.current = self.app.batch()
        self.current.__enter__()
        self.count = 0

    def _close(self) -> None:
        current, self.current = self.current, None
        if current is not None:
            current.__exit__(None, None, None)

    def ran(self) -> None:
        """One command ran: with a size, write the batch when it is full."""
        if self.current is None or self.size is None:
            return
        self.count += 1
        if self.count >= self.size:
            self._close()
            self._open()


class _Counting:
    """The app as the generator sees it: each command tells the batches it ran."""

    def __init__(self, app: Renda, batches: Batches) -> None:
        self._app = app
        self._batches = batches

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._app, name)
        if name not in self._batches.commands:
            return attr

        def command(*args: Any, **kwargs: Any) -> Any:
            result = attr(*args, **kwargs)
            self._batches.ran()
            return result

        return command


class Generator:
    """Builds one demo province into ``app``; see :func:`generate`."""

    def __init__(
        self,
        app: Renda,
        targets: Targets,
        progress: Progress | None,
        batch_size: int | None = None,
    ) -> None:
        self.batches = Batches(app, batch_size)
        self.app = cast(Renda, _Counting(app, self.batches))
        self.t = targets
        self.rng = random.Random(f"renda-demo/{targets.seed}")
        self.progress = progress
        self.serial: Counter[str] = Counter()
        self.map: Map = build_map(targets.divisions, targets.divisions_covered)
        self.roll = Roll(self.map.places)
        self.stations: dict[str, Station] = {}
        self.escalated: list[Escalated] = []
        self.escalations_left = 0
        self.terminating: set[int] = set()
        self._provincial: list[Deputy] = []  # the records kept after their county's phase
        self.liaised: list[Deputy] = []
        self.sc_members: list[UUID] = []  # the standing committee, recorded by members.seat
        self.steps_done = 0
        self.steps_total = 0
        policy = app.deadline_policy
        self.result_classes = list(policy.result_classes)
        self.commitment_classes = set(policy.commitment_classes)

    # -- plumbing -------------------------------------------------------------------

    def new_id(self, kind: str) -> UUID:
        self.serial[kind] += 1
        return uuid5(NAMESPACE, f"{self.t.seed}/{kind}/{self.serial[kind]}")

    def step(self, what: str) -> None:
        self.steps_done += 1
        if self.progress is not None:
            self.progress(what, self.steps_done, self.steps_total)

    def day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def later(self, on: date, low: int, high: int, latest: date = YEAR_END) -> date:
        return clamp(on + timedelta(days=self.rng.randint(low, high)), on, latest)

    # -- the whole run ----------------------------------------------------------------

    def run(self) -> Targets:
        self.plan()
        counties = sorted({s.place.county for s in self.stations.values()} | self.roll.counties())
        self.steps_total = 1 + len(counties) + 5
        self.app.import_divisions({"rows": self.map.rows, "date": "2022-01-01"}, PROVINCE_OFFICE)
        self.step("行政区划")
        by_county: dict[str, array[int]] = defaultdict(lambda: array("I"))
        for n in self.roll.serials():
            by_county[self.roll.home(n).county].append(n)
        for county in counties:
            with self.batches.phase():
                self.county_year(county, [self.roll.deputy(n) for n in by_county.pop(county, ())])
            self.step(f"{self.map.names[county]}：代表、家站、活动、社情民意")
        self._provincial.sort(key=lambda d: d.n)
        with self.batches.phase():
            self.liaison()
            self.groups()
        self.step("双联系、代表小组")
        with self.batches.phase():
            self.training()
        self.step("培训")
        with self.batches.phase():
            self.suggestions()
        self.step("代表建议")
        with self.batches.phase():
            forwarded = self.bulletin()
        self.step("《人大代表之声》专刊")
        with self.batches.phase():
            self.handle_forwarded(forwarded)
        self.step("批转办理")
        constituent_reports(self)
        with self.batches.phase():
            members.fill(self)  # issue 14: terms, committee, ledger, plan (own random)
        with self.batches.phase():
            meetings(self)  # own random draws: the figures above are unchanged
        return self.t

    # -- planning: who lives where, which station gets how many activities -----------

    def plan(self) -> None:
        rng = self.rng
        places = self.map.places
        covered = [p for p in places if p.covered]
        for place in covered:
            established = (
                self.day(date(2018, 6, 1), date(2022, 12, 31))
                if rng.random() < 0.75
                else self.day(date(2023, 1, 5), date(2023, 3, 31))
            )
            self.stations[place.code] = Station(place, established)
        for level, registered in self.t.registered.items():
            entering = self.t.entered[level]
            eligible = [p for p in places if level != Level.TOWNSHIP.value or p.kind != "street"]
            eligible_covered = [p for p in eligible if p.covered]
            homes = rng.choices(eligible_covered, [p.weight for p in eligible_covered], k=entering)
            homes += rng.choices(eligible, [p.weight for p in eligible], k=registered - entering)
            for i, home in enumerate(homes):
                self.roll.add(level, home, enters=i < entering)
        for n in self.roll.serials():
            if self.roll.enters(n):
                self.stations[self.roll.home(n).code].entering += 1
        with_roster = [s for s in self.stations.values() if s.entering]
        for index, count in Counter(
            rng.choices(
                range(len(with_roster)),
                [s.entering * rng.uniform(0.6, 1.4) for s in with_roster],
                k=self.t.activities,
            )
        ).items():
            with_roster[index].activities = count
        active = [s for s in with_roster if s.activities]
        for index, count in Counter(
            rng.choices(range(len(active)), [s.activities for s in active], k=self.t.items_pushed)
        ).items():
            active[index].pushed = count
        self.escalations_left = self._suggestion_mix()["escalated"]
        spare = [
            n
            for n in self.roll.serials()
            if not self.roll.enters(n) and self.roll.level(n) in ("county", "township")
        ]
        self.terminating = set(rng.sample(spare, self.t.terminated))

    def _suggestion_mix(self) -> dict[str, int]:
        """How the suggestions handled divide by source: bulletin, station, forum, session."""
        from renda_core.demo.targets import SEED, scaled

        left = self.t.suggestions_handled - self.t.bulletin_forwarded
        escalated = min(left, scaled(SEED["escalated_suggestions"], self.t.scale, 0))
        forum = min(left - escalated, scaled(SEED["forum_suggestions"], self.t.scale, 0))
        return {
            "bulletin": self.t.bulletin_forwarded,
            "escalated": escalated,
            "forum": forum,
            "session": left - escalated - forum,
        }

    # -- one county: deputies, stations, a year of activities and opinions -------------

    def county_year(self, county: str, deputies: list[Deputy]) -> None:
        """The county's deputies (records made for this phase, in serial order), its
        stations and their year; the provincial deputies' records are kept for the
        provincial work, the others' dropped (their level, home and id stay in the roll)."""
        app, rng = self.app, self.rng
        staff = Actor(f"{self.map.names[county]}人大常委会", "staff")
        for deputy in deputies:
            if deputy.enters:
                self.stations[deputy.home.code].roster.append(deputy)
            if deputy.level == Level.PROVINCIAL.value:
                self._provincial.append(deputy)
        for deputy in deputies:
            self.register(deputy)
        # the divisions the county's stations are established in, read at once (one
        # round trip on PostgreSQL, where each station's command read its own)
        app._preload(
            Division.create_id(s.place.code)
            for s in self.stations.values()
            if s.place.county == county
        )
        for station in self.stations.values():
            if station.place.county != county:
                continue
            place = station.place
            home = place.kind != "street" or rng.random() < 0.3
            co_located = [
                c
                for c, p in (
                    ("party_service", 0.7),
                    ("government_service", 0.3),
                    ("legislative_contact", 0.05),
                )
                if rng.random() < p
            ]
            with assigned_ids(self.new_id("station")):
                station_id = app.establish_station(
                    {
                        "name": f"{place.name}人大代表{'之家' if home else '联络站'}",
                        "kind": "home" if home else "liaison",
                        "division": place.code,
                        "co_located": co_located,
                        "date": station.established_on,
                    },
                    staff,
                )
            self.station_year(station, station_id, staff)
            station.roster = []
        self.terminations(deputies, staff)

    def register(self, deputy: Deputy) -> None:
        rng = self.rng
        level, place = deputy.level, deputy.home
        term, since = TERMS[level]
        korean = place.prefecture == "222400" and rng.random() < 0.35
        deputy.name = people.person_name(rng, korean)
        if level == Level.NATIONAL.value:
            unit, area = "吉林省人民代表大会", place.county
        elif level == Level.PROVINCIAL.value:
            unit, area = f"{self.map.names[place.prefecture]}人民代表大会", place.county
        elif level == Level.MUNICIPAL.value:
            unit, area = f"{self.map.names[place.county]}人民代表大会", place.county
        else:
            unit, area = f"{place.name}第{rng.randint(1, 12)}选区", place.code
        with assigned_ids(self.new_id("deputy")):
            deputy_id = self.app.register_deputy(
                {
                    "name": deputy.name,
                    "level": level,
                    "term": term,
                    "electoral_unit": unit,
                    "area": area,
                    "date": since,
                    "gender": "female" if rng.random() < 0.3 else "male",
                    "ethnicity": "朝鲜族" if korean else people.ethnicity(rng, place.county),
                    "category": people.occupation(rng),
                },
                PROVINCE_OFFICE if level in ("national", "provincial") else self._staff(place),
            )
        deputy.id = deputy_id
        self.roll.record_id(deputy.n, deputy_id)

    def _staff(self, place: Place) -> Actor:
        return Actor(f"{self.map.names[place.county]}人大常委会", "staff")

    def station_year(self, station: Station, station_id: UUID, staff: Actor) -> None:
        app, rng = self.app, self.rng
        opened = station.established_on
        for deputy in station.roster:
            _, since = TERMS[deputy.level]
            start = (
                self.day(date(2023, 2, 20), date(2023, 5, 31))
                if rng.random() < 0.8
                else self.day(date(2022, 4, 1), date(2022, 12, 31))
            )
            deputy.entered_on = max(start, opened, since)
        for deputy in sorted(station.roster, key=lambda d: (d.entered_on, d.n)):
            app.enter_station(
                {"station_id": station_id, "deputy_id": deputy.id, "date": deputy.entered_on},
                staff,
            )
        activities = [self.activity(station) for _ in range(station.activities)]
        activities.sort(key=lambda a: a.on)
        for activity in activities:
            app.hold_station_activity(
                {
                    "station_id": station_id,
                    "kind": activity.kind,
                    "date": activity.on,
                    "deputies": [d.id for d in activity.present],
                    "people_received": rng.randint(3, 60),
                    "topic": rng.choice(people.ACTIVITY_TOPICS),
                },
                staff,
            )
        picks = sorted(rng.choices(activities, k=station.pushed), key=lambda a: a.on)
        for activity in picks:
            self.opinion(station, station_id, activity, staff)
        december = [a for a in activities if a.on.month == 12]
        if december and rng.random() < 0.4:
            self.open_opinion(station, station_id, rng.choice(december), staff)

    def activity(self, station: Station) -> Activity:
        rng = self.rng
        on = self.day(date(2023, 1, 4), date(2023, 12, 28))
        roster = [d for d in station.roster if d.entered_on and d.entered_on <= on]
        if not roster:
            first = min(d.entered_on for d in station.roster if d.entered_on)
            on = clamp(first + timedelta(days=rng.randint(0, 30)), first, date(2023, 12, 28))
            on = max(on, first)
            roster = [d for d in station.roster if d.entered_on and d.entered_on <= on]
        present = rng.sample(roster, min(len(roster), rng.choice((1, 2, 2, 3, 3, 4, 5))))
        present.sort(key=lambda d: d.n)  # higher levels first
        kinds, weights = zip(*ACTIVITY_KINDS, strict=True)
        return Activity(on, rng.choices(kinds, weights)[0], present)

    def _collect(
        self, station: Station, station_id: UUID, activity: Activity, staff: Actor, on: date
    ) -> tuple[UUID, tuple[str, str, str]]:
        rng = self.rng
        topic = rng.choice(people.OPINION_TOPICS)
        present = activity.present[: rng.choice((1, 1, 2))]
        data: dict[str, Any] = {
            "station_id": station_id,
            "channel": CHANNEL_OF[activity.kind] if rng.random() < 0.9 else "appointment",
            "content": f"{station.place.name}群众反映{topic[0]}，希望尽快解决。",
            "deputies": [d.id for d in present],
            "category": topic[1],
            "date": on,
        }
        if rng.random() < 0.3:
            data["citizen_name"] = people.person_name(rng)
        with assigned_ids(self.new_id("opinion")):
            return self.app.collect_opinion(data, staff), topic

    def opinion(self, station: Station, station_id: UUID, activity: Activity, staff: Actor) -> None:
        """One item pushed forward: collected, accepted, handled and fed back in the year."""
        app, rng = self.app, self.rng
        collected = activity.on
        provincial = next((d for d in activity.present if d.level == "provincial"), None)
        if (
            provincial is not None
            and self.escalations_left > 0
            and collected <= date(2023, 7, 15)
            and rng.random() < 0.1
        ):
            self.escalate(station, station_id, activity, provincial, staff)
            return
        opinion_id, topic = self._collect(station, station_id, activity, staff, collected)
        accepted = self.later(collected, 0, 2)
        app.screen_opinion(
            {"opinion_id": opinion_id, "outcome": "accepted", "date": accepted}, staff
        )
        if rng.random() < 0.035:
            self.duplicate(station, station_id, activity, opinion_id, accepted, staff)
        if rng.random() < 0.05:
            self.out_of_scope(station, station_id, activity, staff)
        handled = self.handle(opinion_id, topic, accepted, staff)
        self.feedback_and_after(opinion_id, handled, staff)

    def handle(self, opinion_id: UUID, topic: tuple[str, str, str], on: date, staff: Actor) -> date:
        """Answer on the spot or refer and record the result; returns the result's date."""
        app, rng = self.app, self.rng
        if on >= date(2023, 12, 1) or rng.random() < 0.45:
            app.answer_opinion(
                {"opinion_id": opinion_id, "result": "代表当场解释政策并答复", "date": on}, staff
            )
            return on
        body_kind = "local" if topic[2] == "属地" else "department"
        body = "所在乡镇（街道）" if body_kind == "local" else f"县{topic[1]}主管部门"
        referred = self.later(on, 0, 1)
        app.refer_opinion(
            {
                "opinion_id": opinion_id,
                "body": body,
                "body_kind": body_kind,
                "due": referred + timedelta(days=30),
                "date": referred,
            },
            staff,
        )
        result = self.later(referred, 5, 40, date(2023, 12, 29))
        app.record_opinion_result(
            {
                "opinion_id": opinion_id,
                "result": f"{body}已办理：{topic[0]}问题已解决",
                "date": result,
            },
            staff,
        )
        return result

    def feedback_and_after(self, opinion_id: UUID, handled: date, staff: Actor) -> None:
        app, rng = self.app, self.rng
        fed_back = self.later(handled, 0, 3)
        app.feed_back_opinion({"opinion_id": opinion_id, "date": fed_back}, staff)
        roll = rng.random()
        if roll < 0.5:
            evaluated = self.later(fed_back, 1, 10)
            rating = rng.choices(("satisfied", "basically_satisfied", "unsatisfied"), (75, 21, 4))[
                0
            ]
            note = "问题尚未彻底解决" if rating == "unsatisfied" else None
            app.evaluate_opinion(
                {"opinion_id": opinion_id, "rating": rating, "note": note, "date": evaluated}, staff
            )
            if rating == "unsatisfied":  # reopened: handled again, fed back, satisfied
                again = self.later(evaluated, 1, 5)
                app.answer_opinion(
                    {"opinion_id": opinion_id, "result": "再次协调并彻底解决", "date": again},
                    staff,
                )
                fed_again = self.later(again, 0, 2)
                app.feed_back_opinion({"opinion_id": opinion_id, "date": fed_again}, staff)
                app.evaluate_opinion(
                    {"opinion_id": opinion_id, "rating": "satisfied", "date": fed_again}, staff
                )
        elif roll < 0.85:
            app.close_opinion({"opinion_id": opinion_id, "date": self.later(fed_back, 0, 5)}, staff)

    def escalate(
        self,
        station: Station,
        station_id: UUID,
        activity: Activity,
        deputy: Deputy,
        staff: Actor,
    ) -> None:
        """An item a provincial deputy received becomes that deputy's suggestion."""
        present = [deputy, *(d for d in activity.present if d is not deputy)]
        escalation = Activity(activity.on, activity.kind, present)
        opinion_id, topic = self._collect(station, station_id, escalation, staff, activity.on)
        accepted = self.later(activity.on, 0, 2)
        self.app.screen_opinion(
            {"opinion_id": opinion_id, "outcome": "accepted", "date": accepted}, staff
        )
        on = self.later(accepted, 1, 5)
        with assigned_ids(self.new_id("suggestion")):
            target = self.app.escalate_opinion(
                {
                    "opinion_id": opinion_id,
                    "target_kind": "suggestion",
                    "title": f"关于解决{station.place.name}{topic[0]}的建议",
                    "date": on,
                },
                PROVINCE_OFFICE,
            )
        self.escalated.append(Escalated(opinion_id, UUID(target), deputy, on))
        self.escalations_left -= 1

    def duplicate(
        self,
        station: Station,
        station_id: UUID,
        activity: Activity,
        into: UUID,
        on: date,
        staff: Actor,
    ) -> None:
        duplicate_id, _ = self._collect(station, station_id, activity, staff, on)
        self.app.screen_opinion(
            {"opinion_id": duplicate_id, "outcome": "duplicate", "into": into, "date": on}, staff
        )

    def out_of_scope(
        self, station: Station, station_id: UUID, activity: Activity, staff: Actor
    ) -> None:
        opinion_id, _ = self._collect(station, station_id, activity, staff, activity.on)
        screened = self.later(activity.on, 0, 2)
        self.app.screen_opinion(
            {
                "opinion_id": opinion_id,
                "outcome": "out_of_scope",
                "advice": self.rng.choice(("litigation", "petition", "arbitration")),
                "date": screened,
            },
            staff,
        )
        self.app.close_opinion({"opinion_id": opinion_id, "date": screened}, staff)

    def open_opinion(
        self, station: Station, station_id: UUID, activity: Activity, staff: Actor
    ) -> None:
        """An item of December still being handled at the year's end."""
        opinion_id, _ = self._collect(station, station_id, activity, staff, activity.on)
        accepted = self.later(activity.on, 0, 2)
        self.app.screen_opinion(
            {"opinion_id": opinion_id, "outcome": "accepted", "date": accepted}, staff
        )
        self.app.refer_opinion(
            {
                "opinion_id": opinion_id,
                "body": "县发展改革局",
                "body_kind": "department",
                "due": accepted + timedelta(days=45),
                "date": accepted,
            },
            staff,
        )

    def terminations(self, deputies: list[Deputy], staff: Actor) -> None:
        """Some mandates end during the year (deputies who never entered a station)."""
        for deputy in deputies:
            if deputy.n in self.terminating:
                self.app.terminate_deputy(
                    {
                        "deputy_id": deputy.id,
                        "reason": self.rng.choice(("transfer", "resignation", "other")),
                        "date": self.day(date(2023, 2, 1), date(2023, 11, 30)),
                    },
                    staff,
                )

    # -- provincial work: liaison (双联系) and deputy groups ----------------------------

    def provincial(self) -> list[Deputy]:
        """The provincial deputies' records in serial order, once every county is written."""
        return self._provincial

    def liaison(self) -> None:
        app, rng = self.app, self.rng
        seated = members.seat(self)  # the members as records: the ledger, not free text
        chosen = rng.sample(self.provincial(), self.t.liaison_deputies)
        self.liaised = chosen
        app._preload(deputy.id for deputy in chosen)  # at once: see county_year
        for i, deputy in enumerate(chosen):
            member = seated[i % len(seated)]
            since = self.day(date(2023, 2, 20), date(2023, 3, 31))
            app.member_liaise(
                {"member_id": member, "deputy_id": deputy.id, "date": since}, PROVINCE_OFFICE
            )
            days = sorted(self.day(since, date(2023, 12, 20)) for _ in range(rng.randint(1, 4)))
            for on in days:
                app.member_contact(
                    {
                        "member_id": member,
                        "deputy_id": deputy.id,
                        "form": rng.choice(("forum", "visit", "research", "phone")),
                        "date": on,
                    },
                    PROVINCE_OFFICE,
                )

    def groups(self) -> None:
        app, rng = self.app, self.rng
        by_prefecture: dict[str, list[Deputy]] = defaultdict(list)
        for deputy in self.provincial():
            by_prefecture[deputy.home.prefecture].append(deputy)
        prefectures = sorted(by_prefecture, key=lambda p: (-len(by_prefecture[p]), p))
        app._preload(deputy.id for deputy in self.provincial())  # at once: see county_year
        counts = self._group_counts([len(by_prefecture[p]) for p in prefectures])
        formed = date(2023, 2, 20)
        for prefecture, count in zip(prefectures, counts, strict=True):
            name = self.map.names[prefecture]
            deputies = by_prefecture[prefecture]
            for k in range(count):
                members = deputies[k::count]
                with assigned_ids(self.new_id("group")):
                    group_id = app.form_group(
                        {
                            "name": f"{name}代表小组" if count == 1 else f"{name}第{k + 1}代表小组",
                            "basis": "electoral_unit",
                            "unit": f"{name}人民代表大会",
                            "level": "provincial",
                            "term": 14,
                            "area": prefecture,
                            "date": formed,
                        },
                        PROVINCE_OFFICE,
                    )
                for deputy in members:
                    app.add_group_member(
                        {"group_id": group_id, "deputy_id": deputy.id, "date": formed},
                        PROVINCE_OFFICE,
                    )
                app.appoint_group_leader(
                    {"group_id": group_id, "deputy_id": members[0].id, "date": formed},
                    PROVINCE_OFFICE,
                )
                kinds, weights = zip(*GROUP_ACTIVITIES, strict=True)
                days = sorted(self.day(date(2023, 3, 1), date(2023, 12, 20)) for _ in range(6))
                for on in days[: rng.randint(4, 6)]:
                    kind = rng.choices(kinds, weights)[0]
                    handled = rng.randint(1, 6) if kind == "mediation" else 0
                    app.hold_group_activity(
                        {
                            "group_id": group_id,
                            "kind": kind,
                            "date": on,
                            "participants": [
                                d.id for d in rng.sample(members, min(len(members), 6))
                            ],
                            "disputes_handled": handled,
                            "disputes_resolved": rng.randint(max(0, handled - 1), handled),
                        },
                        PROVINCE_OFFICE,
                    )

    def _group_counts(self, sizes: list[int]) -> list[int]:
        """The groups of each electoral unit: at least one each while groups last, in
        proportion to the deputies after that, never more groups than deputies."""
        total = self.t.groups
        counts = [1 if i < total else 0 for i in range(len(sizes))]
        rest = total - sum(counts)
        if rest > 0:
            extra = largest_remainder(rest, [float(s) for s in sizes])
            counts = [c + e for c, e in zip(counts, extra, strict=True)]
        for i, size in enumerate(sizes):  # move groups without enough members elsewhere
            while counts[i] > size:
                counts[i] -= 1
                j = max(range(len(sizes)), key=lambda k: sizes[k] - counts[k])
                counts[j] += 1
        return counts

    # -- training (初任 / 履职 / 专题) ---------------------------------------------------

    def training(self) -> None:
        provincial = sorted(self.provincial(), key=lambda d: (d.home.prefecture, d.n))
        self.course(
            "initial",
            "吉林省十四届人大代表初任培训班",
            "代表的权利义务与履职要求",
            date(2023, 2, 20),
            provincial,
        )
        k = self.t.duty_classes
        for i in range(k):
            starts = DUTY_DAYS[i % len(DUTY_DAYS)] + timedelta(days=7 * (i // len(DUTY_DAYS)))
            self.course(
                "duty",
                f"省人大代表履职培训班（第{i + 1}期）",
                DUTY_TOPICS[i % len(DUTY_TOPICS)],
                starts,
                provincial[i::k],
            )
        for title, topic, starts in TOPICAL_2024:
            chosen = self.rng.sample(provincial, self.t.topical_participants)
            self.course("topical", title, topic, starts, sorted(chosen, key=lambda d: d.n))

    def course(
        self, kind: str, title: str, topic: str, starts: date, deputies: list[Deputy]
    ) -> None:
        app, rng = self.app, self.rng
        days = [starts + timedelta(days=i) for i in range(3 if kind != "initial" else 2)]
        with assigned_ids(self.new_id("course")):
            course_id = app.plan_course(
                {
                    "kind": kind,
                    "title": title,
                    "topic": topic,
                    "starts": days[0],
                    "ends": days[-1],
                    "level": "provincial",
                    "date": starts - timedelta(days=20),
                },
                PROVINCE_OFFICE,
            )
        ids = [d.id for d in deputies]
        app.enrol_deputies(
            {"course_id": course_id, "deputies": ids, "date": starts - timedelta(days=7)},
            PROVINCE_OFFICE,
        )
        for i, on in enumerate(days):
            present = ids if i == 0 else [d for d in ids if rng.random() > 0.04]
            if present:
                app.record_attendance(
                    {"course_id": course_id, "deputies": present, "date": on}, PROVINCE_OFFICE
                )
        app.complete_course(
            {"course_id": course_id, "deputies": ids, "date": days[-1]}, PROVINCE_OFFICE
        )

    # -- suggestions (代表建议) -----------------------------------------------------------

    def suggestions(self) -> None:
        mix = self._suggestion_mix()
        provincial = self.provincial()
        number = 0
        # station items escalated during the year: the lead deputy submits them
        session = mix["session"] + (mix["escalated"] - len(self.escalated))
        for esc in self.escalated:
            number += 1
            self.handle_suggestion(esc.suggestion, esc.deputy, esc.on, number, escalated=esc)
        liaised = self.liaised or provincial
        for _ in range(mix["forum"]):
            number += 1
            deputy = self.rng.choice(liaised)
            on = self.rng.choice(FORUM_DAYS)
            suggestion_id = self.draft(deputy, on, "recess", "forum")
            self.handle_suggestion(suggestion_id, deputy, on, number)
        for _ in range(session):
            number += 1
            deputy = self.rng.choice(provincial)
            on = self.day(*SESSION_DAYS)
            suggestion_id = self.draft(deputy, on, "session", "session")
            self.handle_suggestion(suggestion_id, deputy, on, number)
        for _ in range(self.t.suggestions_not_accepted):
            deputy = self.rng.choice(provincial)
            on = self.day(*SESSION_DAYS)
            suggestion_id = self.draft(deputy, on, "session", "session")
            self.app.submit_suggestion(
                {"suggestion_id": suggestion_id, "date": on}, self.me(deputy)
            )
            self.app.reject_suggestion(
                {
                    "suggestion_id": suggestion_id,
                    "reason": self.rng.choice(("personal", "court_case", "outside_jurisdiction")),
                    "explanation": "经审查不符合代表建议的立案条件，转来信处理",
                    "date": self.later(on, 3, 7),
                },
                PROVINCE_OFFICE,
            )

    @staticmethod
    def me(deputy: Deputy) -> Actor:
        return Actor(deputy.name, f"deputy:{deputy.id}")

    def draft(self, deputy: Deputy, on: date, channel: str, source: str) -> UUID:
        topic, category, _ = self.rng.choice(people.SUGGESTION_TOPICS)
        with assigned_ids(self.new_id("suggestion")):
            suggestion_id = self.app.draft_suggestion(
                {
                    "title": f"关于{topic}的建议",
                    "body": f"建议省政府及有关部门{topic}，加大政策支持力度，推动工作落实。",
                    "channel": channel,
                    "source": source,
                    "category": category,
                    "session": SESSION if channel == "session" else None,
                    "date": on,
                },
                self.me(deputy),
            )
        return suggestion_id

    def handle_suggestion(
        self,
        suggestion_id: UUID,
        deputy: Deputy,
        on: date,
        number: int,
        escalated: Escalated | None = None,
    ) -> None:
        """From co-signing and submission to evaluation and closure, all in the year."""
        app, rng = self.app, self.rng
        data = app.get_suggestion(suggestion_id)
        title = data.title
        lead_unit = next(
            (u for t, _, u in people.SUGGESTION_TOPICS if t in title),
            rng.choice([u for _, _, u in people.SUGGESTION_TOPICS]),
        )
        me = self.me(deputy)
        ref = {"suggestion_id": suggestion_id}
        session = data.channel == "session"
        if rng.random() < 0.3:
            peers = [d for d in self.provincial() if d is not deputy]
            for peer in rng.sample(peers, min(len(peers), rng.randint(1, 3))):
                app.invite_cosigner({**ref, "deputy_id": peer.id, "date": on}, me)
                app.cosign_suggestion({**ref, "date": on}, self.me(peer))
        submitted = on
        if not session and rng.random() < 0.5:
            app.presubmit_suggestion({**ref, "date": on}, me)
            reviewed = self.later(on, 1, 3)
            app.review_suggestion(
                {**ref, "outcome": "cleared", "comment": "内容具体，可以提交", "date": reviewed},
                PROVINCE_OFFICE,
            )
            submitted = reviewed
        app.submit_suggestion({**ref, "date": submitted}, me)
        accepted = date(2023, 1, 20) if session else self.later(submitted, 1, 3)
        app.accept_suggestion({**ref, "number": f"{number:04d}", "date": accepted}, PROVINCE_OFFICE)
        assigned = date(2023, 2, 10) if session else self.later(accepted, 0, 2)
        co_units = [u for u in people.CO_UNITS if u != lead_unit]
        co = rng.sample(co_units, 1) if rng.random() < 0.25 else []
        app.assign_suggestion(
            {
                **ref,
                "lead_unit": lead_unit,
                "co_units": co,
                "complex": rng.random() < 0.05,
                "date": assigned,
            },
            PROVINCE_OFFICE,
        )
        for unit in co:
            app.send_co_opinion(
                {**ref, "text": "协办意见：同意主办单位意见", "date": self.later(assigned, 5, 25)},
                Actor(unit, f"unit:{unit}"),
            )
        replied = self.reply(suggestion_id, lead_unit, assigned, title)
        if escalated is not None:
            app.record_opinion_result(
                {
                    "opinion_id": escalated.opinion,
                    "result": f"{lead_unit}已答复代表建议",
                    "date": replied,
                },
                PROVINCE_OFFICE,
            )
            app.feed_back_opinion(
                {"opinion_id": escalated.opinion, "date": self.later(replied, 1, 5)},
                PROVINCE_OFFICE,
            )
        self.evaluate_and_close(suggestion_id, deputy, lead_unit, replied)

    def reply(self, suggestion_id: UUID, unit: str, assigned: date, title: str) -> date:
        app, rng = self.app, self.rng
        actor = Actor(unit, f"unit:{unit}")
        ref = {"suggestion_id": suggestion_id}
        contacted = self.later(assigned, 5, 20)
        app.contact_deputy(
            {**ref, "form": rng.choice(("phone", "visit", "forum")), "date": contacted}, actor
        )
        late = rng.random() < 0.03
        replied = self.later(contacted, 95, 105) if late else self.later(contacted, 10, 60)
        replied = max(replied, contacted)
        result_class = rng.choices(
            self.result_classes, [CLASS_WEIGHTS.get(c, 5) for c in self.result_classes]
        )[0]
        app.reply_suggestion(
            {
                **ref,
                "result_class": result_class,
                "text": f"对{title}的答复：已研究并采取措施推动落实。",
                "date": replied,
            },
            actor,
        )
        if rng.random() < 0.8:
            app.disclose_suggestion({**ref, "date": self.later(replied, 3, 14)}, actor)
        if result_class in self.commitment_classes and rng.random() < 0.6:
            app.commit_suggestion(
                {**ref, "text": "列入2024年工作计划", "due": date(2024, 6, 30), "date": replied},
                actor,
            )
        return replied

    def evaluate_and_close(
        self, suggestion_id: UUID, deputy: Deputy, unit: str, replied: date
    ) -> None:
        app, rng = self.app, self.rng
        ref = {"suggestion_id": suggestion_id}
        evaluated = self.later(replied, 5, 25)
        dissatisfied = rng.random() < 0.05
        rating = rng.choices(("satisfied", "basically_satisfied"), (78, 22))[0]
        app.evaluate_suggestion(
            {
                **ref,
                "attitude": rating,
                "result": "dissatisfied" if dissatisfied else rating,
                "reason": "答复措施不够具体" if dissatisfied else None,
                "date": evaluated,
            },
            self.me(deputy),
        )
        last = evaluated
        if dissatisfied:
            ordered = self.later(evaluated, 1, 5)
            app.rehandle_suggestion(
                {**ref, "reason": "代表不满意", "date": ordered}, PROVINCE_OFFICE
            )
            again = self.later(ordered, 10, 25)
            app.reply_suggestion(
                {
                    **ref,
                    "result_class": self.result_classes[0],
                    "text": "重新办理后的答复：问题已解决。",
                    "date": again,
                },
                Actor(unit, f"unit:{unit}"),
            )
            last = self.later(again, 3, 10)
            app.evaluate_suggestion(
                {**ref, "attitude": "satisfied", "result": "satisfied", "date": last},
                self.me(deputy),
            )
        if rng.random() < 0.9:
            app.close_suggestion({**ref, "date": self.later(last, 1, 10)}, PROVINCE_OFFICE)

    # -- 《人大代表之声》专刊 ----------------------------------------------------------------

    def bulletin(self) -> list[tuple[UUID, Deputy, str, date]]:
        app, rng = self.app, self.rng
        issues = self.t.bulletin_issues
        forwarded_per_issue = largest_remainder(self.t.bulletin_forwarded, [1.0] * issues)
        provincial = self.provincial()
        forwarded: list[tuple[UUID, Deputy, str, date]] = []
        for i in range(issues):
            opened = date(2023, 2, 1) + timedelta(days=(240 * i) // max(1, issues))
            ref = f"{YEAR}/{i + 1}"
            app.open_bulletin(
                {
                    "year": YEAR,
                    "number": i + 1,
                    "title": f"《人大代表之声》专刊{YEAR}年第{i + 1}期",
                    "date": opened,
                },
                EDITOR,
            )
            items = []
            for _ in range(forwarded_per_issue[i] + rng.randint(1, 3)):
                topic, _, unit = rng.choice(people.SUGGESTION_TOPICS)
                deputy = rng.choice(provincial)
                number = app.include_item(
                    {
                        "bulletin": ref,
                        "kind": "text",
                        "title": f"{deputy.name}代表：关于{topic}的意见建议",
                        "summary": f"代表在闭会期间调研后提出，建议{topic}。",
                        "deputy": deputy.id,
                        "date": self.later(opened, 1, 5),
                    },
                    EDITOR,
                )
                items.append((number, deputy, unit))
            published = self.later(opened, 6, 8)
            app.publish_bulletin(
                {"bulletin": ref, "recipients": ["省委", "省政府"], "date": published}, EDITOR
            )
            for k, (number, deputy, unit) in enumerate(items):
                to_forward = k < forwarded_per_issue[i]
                if not to_forward and rng.random() < 0.5:
                    continue
                leader = rng.choice(LEADERS)
                instructed = self.later(published, 1, 7)
                app.instruct_item(
                    {
                        "bulletin": ref,
                        "item": number,
                        "text": "请省政府有关部门认真研究办理。",
                        "date": instructed,
                    },
                    leader,
                )
                if to_forward:
                    on = self.later(instructed, 0, 5)
                    with assigned_ids(self.new_id("suggestion")):
                        suggestion_id = app.forward_item(
                            {"bulletin": ref, "item": number, "lead_unit": unit, "date": on},
                            leader,
                        )
                    forwarded.append((suggestion_id, deputy, unit, on))
        return forwarded

    def handle_forwarded(self, forwarded: Iterable[tuple[UUID, Deputy, str, date]]) -> None:
        for suggestion_id, deputy, unit, on in forwarded:
            title = self.app.get_suggestion(suggestion_id).title
            replied = self.reply(suggestion_id, unit, on, title)
            self.evaluate_and_close(suggestion_id, deputy, unit, replied)


def generate(
    app: Renda,
    scale: float = 1.0,
    seed: int = 2023,
    progress: Progress | None = None,
    batch_size: int | None = None,
) -> Targets:
    """Build the demo province into ``app`` (an empty store); returns the figures aimed at.

    :param app: the application to record into (its store should be empty)
    :param scale: 0 < scale ≤ 1 or a whole number up to 5, multiplies every count of the seed
    :param seed: the seed of every random choice and of the new aggregates' ids
    :param progress: called after each step with (description, done, total)
    :param batch_size: commands per write; None (the default) writes one batch per
        phase (a county, the liaison work, training, …). The log is the same either way.
    :returns: the :class:`Targets`: what each report must show for 2023
    """
    targets = targets_for(scale, seed)
    # a bulk write, as ``renda import``'s: on SQLite the WAL is checkpointed less often
    with app.checkpoints_deferred():
        return Generator(app, targets, progress, batch_size).run()


__all__ = ["Progress", "generate"]
