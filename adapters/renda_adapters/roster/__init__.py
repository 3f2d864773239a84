"""The deputy roster (代表名册): who is active, at which level, with which liaison.

A projection adapter (view ``deputy_roster``) and the ``deputies`` report:
``renda report deputies [--as-of MOMENT] [--area PREFIX] [--level L] --json``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from renda_adapters.rollup import rolled_up
from renda_core.domain.values import MUNICIPALITIES, Level, level_label, province_of
from renda_core.ports import hookimpl
from renda_core.ports.contracts import Report
from renda_core.projections.reports import ReportContext

if TYPE_CHECKING:
    from rich.table import Table

    from renda_core.projections.unit import ViewUnit  # the views: eventsourcing's recorders

Handler = Callable[[Any, "ViewUnit"], None]

KIND = "deputy"

#: the topics this adapter reads → its handler's name. Dispatch is by the event class's
#: topic (its ``TOPIC``), not by the class: importing this adapter imports no domain
#: module, and a report on an up-to-date view never imports the deputy aggregate (its
#: events' classes are resolved from their topics when a catch-up decodes them:
#: :mod:`renda_core.domain.topics`)
HANDLERS: dict[str, str] = {
    "renda:Deputy.Registered": "_registered",
    "renda:Deputy.DetailsCorrected": "_corrected",
    "renda:Deputy.LiaisonAssigned": "_liaison_assigned",
    "renda:Deputy.LiaisonEnded": "_liaison_ended",
    "renda:Deputy.ContactRecorded": "_contact_recorded",
    "renda:Deputy.MandateTerminated": "_terminated",
}


@rolled_up(
    "active_total",
    "terminated_total",
    "registered_total",
    "liaison_deputies",
    "contacts",
    "deputies_contacted",
    province=True,
)
class DeputyRoster:
    """Keeps one document per deputy and the roster's counters."""

    name = "deputy_roster"
    version = 3  # 2: rolled up by prefecture, sections of issue 14; 3: province-wide
    pure = True  # changes nothing but its view: no undo copies (see Projection)
    topics = tuple(HANDLERS)

    def __init__(self) -> None:
        self._by_topic: dict[str, Handler] = {
            topic: getattr(self, name) for topic, name in HANDLERS.items()
        }
        # each event class's handler, looked up by its topic once per class
        self._by_class: dict[type, Handler | None] = {}

    def process_event(self, event: Any, view: ViewUnit) -> None:
        cls = type(event)
        try:
            handler = self._by_class[cls]
        except KeyError:
            handler = self._by_class[cls] = self._by_topic.get(getattr(cls, "TOPIC", ""))
        if handler is not None:  # events of other kinds are not this adapter's business
            handler(event, view)

    def _registered(self, event: Any, view: ViewUnit) -> None:
        doc = {
            "name": event.name,
            "level": event.level,
            "area": event.area,
            "term": event.term,
            "electoral_unit": event.electoral_unit,
            "status": "active",
            "liaison": None,
            "registered_on": event.on.isoformat(),
            "terminated_on": None,
            "contact_years": [],
        }
        view.put(KIND, str(event.originator_id), doc)
        self._count(view, doc, +1)
        view.add("registered_total", area=doc["area"], level=doc["level"])

    def _corrected(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        moved = {"area", "level"} & set(event.changes)
        if moved:
            self._count(view, doc, -1)
            view.add("registered_total", -1, area=doc["area"], level=doc["level"])
        for key in ("name", "level", "area", "term", "electoral_unit"):
            if key in event.changes:
                doc[key] = event.changes[key]
        if moved:
            self._count(view, doc, +1)
            view.add("registered_total", area=doc["area"], level=doc["level"])
        view.put(KIND, str(event.originator_id), doc)

    def _liaison_assigned(self, event: Any, view: ViewUnit) -> None:
        # Since issue 14 a deputy may have several liaisons: counted once while any is open.
        doc = self._doc(view, event)
        open_ = _open_liaisons(doc)
        if not open_:
            view.add("liaison_deputies", area=doc["area"], level=doc["level"])
        open_.append(event.member)
        doc["liaison"] = event.member
        view.put(KIND, str(event.originator_id), doc)

    def _liaison_ended(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        open_ = _open_liaisons(doc)
        member = getattr(event, "member", None) or (open_[-1] if open_ else None)
        if member in open_:
            open_.remove(member)
        if not open_:
            view.add("liaison_deputies", -1, area=doc["area"], level=doc["level"])
        doc["liaison"] = open_[-1] if open_ else None
        view.put(KIND, str(event.originator_id), doc)

    def _contact_recorded(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        doc = view.peek(KIND, key)
        if doc is None:
            raise LookupError(f"deputy {key} was never registered")
        year = event.on.year
        where = {"area": doc["area"], "level": doc["level"], "year": year}
        view.add("contacts", key=event.form, **where)
        if year not in doc["contact_years"]:
            view.add("deputies_contacted", **where)
            doc = self._doc(view, event)
            doc["contact_years"].append(year)
            view.put(KIND, key, doc)

    def _terminated(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        self._count(view, doc, -1)
        doc["status"] = "terminated"
        doc["liaison"] = None
        doc["open_liaisons"] = []
        doc["terminated_on"] = event.on.isoformat()
        view.add("terminated_total", area=doc["area"], level=doc["level"])
        view.put(KIND, str(event.originator_id), doc)

    @staticmethod
    def _doc(view: ViewUnit, event: Any) -> dict[str, Any]:
        doc = view.get(KIND, str(event.originator_id))
        if doc is None:
            raise LookupError(f"deputy {event.originator_id} was never registered")
        return doc

    @staticmethod
    def _count(view: ViewUnit, doc: dict[str, Any], sign: int) -> None:
        """Add or remove a deputy's contribution to the 'active' counters."""
        if doc["status"] != "active":
            return
        where = {"area": doc["area"], "level": doc["level"]}
        view.add("active_total", sign, **where)
        if doc["liaison"] is not None:
            view.add("liaison_deputies", sign, **where)


def _open_liaisons(doc: dict[str, Any]) -> list[str]:
    """The deputy's open liaisons (docs written before issue 14 had only ``liaison``)."""
    if "open_liaisons" not in doc:
        doc["open_liaisons"] = [doc["liaison"]] if doc["liaison"] is not None else []
    found: list[str] = doc["open_liaisons"]
    return found


def build_deputies(ctx: ReportContext) -> dict[str, Any]:
    """The roster report: figures of the seed's deputy and liaison sentences."""
    by_level = {level.value: 0 for level in Level}
    by_level.update(ctx.by("active_total", "level"))
    contacts = ctx.by("contacts", "year")
    contacted = ctx.by("deputies_contacted", "year")
    return {
        "active_total": ctx.total("active_total"),
        "by_level": by_level,
        # the provincial-level division of the deputies' areas, when they have one
        "province": province_of(ctx.by("active_total", "area")),
        "terminated_total": ctx.total("terminated_total"),
        "registered_total": ctx.total("registered_total"),
        "liaison_deputies": ctx.total("liaison_deputies"),
        "contacts": {y: contacts[y] for y in sorted(contacts)},
        "deputies_contacted": {y: contacted[y] for y in sorted(contacted)},
        "contacts_by_form": ctx.by("contacts", "key"),
        "as_of": ctx.as_of_label,
    }


def render_deputies(data: dict[str, Any], lang: str = "zh") -> Table:
    from rich.table import Table

    zh = lang == "zh"
    table = Table(title="代表名册" if zh else "Deputy roster")
    table.add_column("指标" if zh else "Figure")
    table.add_column("数值" if zh else "Value", justify="right")
    table.add_row("在任代表" if zh else "Active deputies", str(data["active_total"]))
    province = data.get("province")
    for level in Level:
        count = data["by_level"].get(level.value, 0)
        if level is Level.MUNICIPAL and not count and province in MUNICIPALITIES:
            continue  # a municipality has no congress of a city with districts
        label = f"  {level_label(level.value, province)}级" if zh else f"  {level.value}"
        table.add_row(label, str(count))
    table.add_row("资格终止" if zh else "Mandates terminated", str(data["terminated_total"]))
    table.add_row(
        "有常委会组成人员联系的代表" if zh else "Deputies with a liaison",
        str(data["liaison_deputies"]),
    )
    for year, count in data["contacts"].items():
        table.add_row(f"{year}年联系次数" if zh else f"Contacts in {year}", str(count))
        table.add_row(
            f"{year}年直接联系代表数" if zh else f"Deputies contacted in {year}",
            str(data["deputies_contacted"].get(year, 0)),
        )
    if data.get("as_of"):
        table.caption = f"截至 {data['as_of']} 的记录" if zh else f"as recorded by {data['as_of']}"
    return table


@hookimpl
def renda_register_projections(register: Any) -> None:
    register(DeputyRoster())


@hookimpl
def renda_register_reports(register: Any) -> None:
    register(
        Report(
            name="deputies",
            title="代表名册 Deputy roster",
            projection=DeputyRoster.name,
            build=build_deputies,
            render=render_deputies,
        )
    )


def roster_entries(ctx: ReportContext, level: str | None = None) -> list[dict[str, Any]]:
    """Deputies as listed by ``renda deputy list``."""
    rows = []
    for key, doc in ctx.entities(KIND):
        if level is None or doc["level"] == level:
            rows.append({"id": key, **{k: v for k, v in doc.items() if k != "contact_years"}})
    return sorted(rows, key=lambda r: (r["level"], r["area"], r["name"], r["id"]))


__all__ = ["DeputyRoster", "build_deputies", "roster_entries"]
