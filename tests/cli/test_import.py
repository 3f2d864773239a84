"""``renda import``: validation first, batches, exactly once after a crash, references."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from renda_core import Renda
from renda_core.application.importer import command_schemas, default_new_id
from renda_core.cli import cli
from renda_core.projections.log import count_events, list_events

STAFF = {"id": "import", "role": "staff"}


def line(cid: str, command: str, data: dict[str, Any], **extra: Any) -> str:
    return json.dumps(
        {"id": cid, "command": command, "actor": STAFF, "data": data, **extra}, ensure_ascii=False
    )


def deputy(cid: str, name: str = "金美玉", level: str = "省") -> str:
    return line(
        cid,
        "deputy.register",
        {
            "name": name,
            "level": level,
            "term": 14,
            "electoral_unit": "延边朝鲜族自治州人民代表大会",
            "area": "222401",
            "date": "2023-01-16",
        },
    )


def write(tmp_path: Path, lines: list[str], name: str = "in.jsonl") -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def run(store: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--store", store, *args])


def scenario(n: int) -> list[str]:
    lines = []
    for i in range(n):
        lines.append(deputy(f"d{i}", name=f"代表{i}号"))
        lines.append(
            line(
                f"l{i}",
                "deputy.liaise",
                {"deputy_id": f"@d{i}", "member": "常委会委员 周敏", "date": "2023-02-01"},
            )
        )
        lines.append(
            line(
                f"c{i}",
                "deputy.contact",
                {
                    "deputy_id": f"@d{i}",
                    "form": "座谈",
                    "date": "2023-03-01",
                    "note": f"第{i}次“面对面”",
                },
            )
        )
    return lines


def test_a_valid_file_with_references_and_chinese_verbatim(store: str, tmp_path: Path) -> None:
    given = "11111111-2222-4333-8444-555555555555"
    lines = [
        *scenario(3),
        line("t", "deputy.register", json.loads(deputy("x"))["data"], new_id=given),
    ]
    result = run(store, "import", write(tmp_path, lines), "--batch-size", "4", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "total": 10,
        "applied": 10,
        "skipped": 0,
        "failed": 0,
        "error": None,
    }
    with Renda(store) as app:
        assert count_events(app) == 10
        d1 = app.deputy(default_new_id("d1"))
        assert d1["name"] == "代表1号" and d1["contacts"][0]["note"] == "第1次“面对面”"
        assert app.deputy(given)["level"] == "provincial"
        assert {e["actor"]["id"] for e in list_events(app)} == {"import"}


def test_a_bad_line_writes_nothing_and_names_line_and_field(store: str, tmp_path: Path) -> None:
    lines = scenario(2)
    lines.insert(
        3,
        line(
            "bad",
            "deputy.register",
            {
                "name": "x",
                "level": "村",
                "term": 1,
                "electoral_unit": "u",
                "area": "220102",
                "date": "2023-01-01",
            },
        ),
    )
    lines.append("{not json")
    lines.append(
        line("d0", "deputy.contact", {"deputy_id": "@d0", "form": "visit", "date": "2023-03-01"})
    )
    result = run(store, "import", write(tmp_path, lines))
    assert result.exit_code == 3
    assert "line 4: data.level" in result.output
    assert "line 8: json" in result.output
    assert "line 9: id: command id 'd0' appears twice" in result.output
    assert "nothing was imported" in result.output
    with Renda(store) as app:
        assert count_events(app) == 0


def test_a_rule_violation_stops_at_its_batch(store: str, tmp_path: Path) -> None:
    lines = [
        *scenario(2),
        deputy("z"),
        line("boom", "deputy.contact", {"deputy_id": "@z", "form": "visit", "date": "2023-03-01"}),
    ]
    result = run(store, "import", write(tmp_path, lines), "--batch-size", "3", "--json")
    assert result.exit_code == 5
    summary = json.loads(result.output.split("\nError:")[0])
    assert summary["applied"] == 6 and summary["failed"] == 1
    assert summary["error"]["line"] == 8 and summary["error"]["kind"] == "rule_violated"
    assert "line 8 (boom, deputy.contact)" in result.output
    with Renda(store) as app:
        assert count_events(app) == 6  # the batch with z and boom was not written


def test_killed_halfway_and_rerun_applies_each_command_exactly_once(
    store: str, tmp_path: Path
) -> None:
    lines = scenario(300)  # 900 commands
    path = write(tmp_path, lines)
    env = {**os.environ, "RENDA_STORE": store}
    proc = subprocess.Popen(
        [sys.executable, "-m", "renda_core.cli", "import", path, "--batch-size", "30"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    with Renda(store) as app:
        while time.monotonic() < deadline and proc.poll() is None:
            if 90 <= count_events(app) < 870:
                break
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        halfway = count_events(app)
    assert 0 < halfway < 900, f"not killed halfway ({halfway} of 900 events)"
    assert halfway % 30 == 0  # whole batches only: each is one transaction
    result = run(store, "import", path, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["skipped"] == halfway and summary["applied"] == 900 - halfway
    with Renda(store) as app:
        assert count_events(app) == 900
        applied = app.applied_commands([json.loads(x)["id"] for x in lines])
        assert len(applied) == 900
        for i in (0, 150, 299):
            assert len(app.deputy(default_new_id(f"d{i}"))["contacts"]) == 1


def test_schema_validates_every_command_the_tests_send(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["schema", "commands"])
    schemas = json.loads(result.output)
    assert schemas == json.loads(json.dumps(command_schemas()))
    for raw in scenario(1):
        envelope = json.loads(raw)
        jsonschema.validate(envelope, schemas["envelope"])
        data = {
            k: ("7d7c4f6a-3b47-4a57-9a43-0a0b1f5b4c11" if str(v).startswith("@") else v)
            for k, v in envelope["data"].items()
        }
        jsonschema.validate(data, schemas["commands"][envelope["command"]]["data"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"level": "村"}, schemas["commands"]["deputy.register"]["data"])


def test_references_across_aggregates(store: str, tmp_path: Path) -> None:
    divisions = [
        {"code": "220000", "name": "吉林省", "parent_code": "", "kind": "province"},
        {"code": "220100", "name": "长春市", "parent_code": "220000", "kind": "prefecture"},
        {"code": "220102", "name": "南关区", "parent_code": "220100", "kind": "county"},
        {"code": "220102001", "name": "南岭街道", "parent_code": "220102", "kind": "street"},
    ]
    lines = [
        line("a1", "area.import", {"rows": divisions, "date": "2023-01-01"}),
        deputy("d1", level="county"),
        line(
            "s1",
            "station.establish",
            {
                "name": "南岭街道代表之家",
                "kind": "home",
                "division": "220102001",
                "date": "2023-01-05",
            },
        ),
        line(
            "e1", "station.enter", {"station_id": "@s1", "deputy_id": "@d1", "date": "2023-02-01"}
        ),
        line(
            "h1",
            "station.activity",
            {
                "station_id": "@s1",
                "kind": "选民接待日",
                "date": "2023-03-01",
                "deputies": ["@d1"],
                "people_received": 12,
                "topic": "老旧小区改造",
            },
        ),
    ]
    result = run(store, "import", write(tmp_path, lines), "--json")
    assert result.exit_code == 0, result.output
    with Renda(store) as app:
        station = app.get_station(default_new_id("s1"))
        assert station.id == default_new_id("s1")
    report = json.loads(run(store, "report", "stations", "--year", "2023", "--json").output)
    assert report["activities"]["total"] == 1 and report["deputies_entered"]["total"] == 1
    assert report["coverage_rate"] == 1.0


def test_every_command_has_a_schema_and_a_method() -> None:
    from renda_core.application.commands import COMMANDS

    schemas = command_schemas()["commands"]
    assert set(schemas) == set(COMMANDS) and len(COMMANDS) > 60
    for name, spec in COMMANDS.items():
        assert callable(getattr(Renda, spec.method)), name
