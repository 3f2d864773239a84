"""``renda demo``: a short scripted tour on a fresh store, through the same
application commands a clerk would use, ending with the roster report."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from rich.console import Console

from renda_core.application.app import Renda
from renda_core.application.store import parse_store
from renda_core.cli.context import Env
from renda_core.domain.errors import RuleViolated
from renda_core.domain.values import Actor
from renda_core.projections.log import count_events
from renda_core.projections.reports import run_report

DEFAULT_DEMO_STORE = "renda-demo.sqlite"

# (name, level, term, electoral unit, area, gender, ethnicity)
TOUR_DEPUTIES = [
    ("王建国", "national", 14, "吉林省人民代表大会", "220102", "male", "汉族"),
    (
        "金美玉",
        "provincial",
        14,
        "延边朝鲜族自治州人民代表大会",
        "222401",
        "female",
        "朝鲜族",
    ),
    ("李春华", "provincial", 14, "长春市人民代表大会", "220104", "female", "汉族"),
    ("张志强", "provincial", 14, "吉林市人民代表大会", "220202", "male", "满族"),
    ("刘海燕", "municipal", 16, "朝阳区人民代表大会", "220104", "female", "汉族"),
    ("赵德明", "county", 18, "农安县第三选区", "220122", "male", "汉族"),
    ("孙丽娟", "township", 19, "合隆镇第二选区", "220122101", "female", "蒙古族"),
]


@click.command(name="demo")
@click.option(
    "--store",
    "demo_store",
    default=DEFAULT_DEMO_STORE,
    show_default=True,
    help="Where to build the demo (a new SQLite file, or a PostgreSQL URL).",
)
@click.option("--fresh", is_flag=True, help="Delete an existing SQLite demo store first.")
@click.pass_context
def demo(ctx: click.Context, /, demo_store: str, fresh: bool) -> None:
    """Register deputies, liaisons and contacts, then print the roster report."""
    config = parse_store(demo_store)
    if fresh and config.is_sqlite and Path(config.location).exists():
        for suffix in ("", "-wal", "-shm"):
            Path(config.location + suffix).unlink(missing_ok=True)
        shutil.rmtree(config.views_dir, ignore_errors=True)
    console = Console()
    with Renda(config) as app:
        existing = count_events(app)
        if existing:
            raise RuleViolated(
                f"the demo store {config.location} already has {existing} events; "
                "use --fresh (SQLite) or another --store"
            )
        staff = Actor("demo", "staff")
        ids = []
        for name, level, term, unit, area, gender, ethnicity in TOUR_DEPUTIES:
            new_id = app.register_deputy(
                {
                    "name": name,
                    "level": level,
                    "term": term,
                    "electoral_unit": unit,
                    "area": area,
                    "gender": gender,
                    "ethnicity": ethnicity,
                    "date": "2023-01-16",
                },
                staff,
            )
            ids.append(new_id)
            console.print(f"登记代表 {name}（{area}）")
        for deputy_id, member in zip(
            ids[1:4],
            ("常委会副主任 陈立", "常委会委员 周敏", "常委会委员 周敏"),
            strict=True,
        ):
            app.liaise_deputy(
                {"deputy_id": deputy_id, "member": member, "date": "2023-02-01"}, staff
            )
        app.record_contact(
            {
                "deputy_id": ids[1],
                "form": "forum",
                "date": "2023-03-15",
                "note": "列席代表座谈会，听取关于边境口岸建设的意见",
            },
            staff,
        )
        app.record_contact({"deputy_id": ids[1], "form": "visit", "date": "2023-06-20"}, staff)
        app.record_contact(
            {
                "deputy_id": ids[2],
                "form": "research",
                "date": "2023-09-08",
                "note": "调研现代化大农业",
            },
            staff,
        )
        app.terminate_deputy(
            {"deputy_id": ids[3], "reason": "transfer", "date": "2023-11-30"}, staff
        )
        console.print("双联系：3 名省人大代表；联系 3 次；1 名代表调离")
        env = Env(app=app)
        data = run_report(env.runner(), env.reports()["deputies"])
        report = env.reports()["deputies"]
        assert report.render is not None
        console.print(report.render(data, "zh"))
        env.close()
        console.print(f"事件日志: {count_events(app)} events in {config.location}")
