"""An import stores the same events and fingerprints as it did before the import's
per-command path was made cheaper (issue 15, target 3): every stored event's
originator, version, topic and state (timestamps aside) and every applied command's
fingerprint, held to a record made with the code before that work.

Regenerate the record only for an intended change of what an import stores:
``python -m tests.application.test_import_golden > tests/application/data/import_golden.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

from renda_core import Renda
from renda_core.application.importer import apply_commands, parse_lines
from renda_core.application.inputs import dates_as_of
from tests.conftest import register_payload

GOLDEN = Path(__file__).parent / "data" / "import_golden.json"
STAFF = {"id": "clerk-1", "role": "staff"}
EDITOR = {"id": "编辑", "role": "editor"}
LEADER = {"id": "省长", "role": "leader:省长"}
UNIT = {"id": "办理人", "role": "unit:省民政厅"}
TIMESTAMP = re.compile(rb'"_type_":"datetime_iso","_data_":"[^"]*"')


def _line(cid: str, command: str, data: dict[str, Any], actor: dict[str, str] = STAFF) -> str:
    return json.dumps(
        {"id": cid, "command": command, "actor": actor, "data": data}, ensure_ascii=False
    )


def lines() -> list[str]:
    """Deputies (values and Chinese labels, explicit new_id, notes), liaisons, contacts,
    and a bulletin whose forwarded item becomes a suggestion that is replied to."""
    out = []
    for i, (level, form) in enumerate([("provincial", "visit"), ("省", "走访"), ("市", "visit")]):
        register = register_payload(name=f"代表{i}号", level=level)
        out.append(_line(f"d{i}", "deputy.register", register))
        out.append(
            _line(
                f"l{i}",
                "deputy.liaise",
                {"deputy_id": f"@d{i}", "member": "常委会委员 周敏", "date": "2023-02-01"},
            )
        )
        for k in range(3):
            contact: dict[str, Any] = {"deputy_id": f"@d{i}", "form": form}
            contact["date"] = f"2023-0{k + 3}-01"
            if k == 1:
                contact["note"] = "听取边境口岸建设的意见\n第二行"
            out.append(_line(f"c{i}.{k}", "deputy.contact", contact))
    given = json.loads(_line("dx", "deputy.register", {**json.loads(out[0])["data"]}))
    given["new_id"] = "8f0e3b8e-6d4b-4b7e-9d7a-2f2f0f7b5a11"
    given["data"]["name"] = "指定编号"
    out.append(json.dumps(given, ensure_ascii=False))
    bulletin = {"year": 2023, "number": 7, "title": "专刊", "date": "2023-03-01"}
    out.append(_line("b1", "bulletin.open", bulletin, EDITOR))
    include = {
        "bulletin": "@b1",
        "kind": "text",
        "title": "群众反映养老服务",
        "summary": "摘要",
        "date": "2023-03-02",
    }
    out.append(_line("i1", "bulletin.include", include, EDITOR))
    publish = {"bulletin": "@b1", "recipients": ["省委"], "date": "2023-03-03"}
    out.append(_line("p1", "bulletin.publish", publish, EDITOR))
    forward = {"bulletin": "@b1", "item": 1, "lead_unit": "省民政厅", "date": "2023-03-10"}
    out.append(_line("f1", "bulletin.forward", forward, LEADER))
    reply = {"suggestion_id": "@f1", "result_class": "A", "text": "已办理", "date": "2023-04-10"}
    out.append(_line("r1", "suggestion.reply", reply, UNIT))
    return out


def stored(store: str) -> dict[str, Any]:
    """What an import of :func:`lines` stores, timestamps aside."""
    with Renda(store, require_registered_actors=False) as app:
        with dates_as_of(dt.date(2026, 11, 30)):
            commands = parse_lines(lines())
        result = apply_commands(app, commands, batch_size=4)
        assert result.error is None, result.error
        events = [
            [
                str(n.originator_id),
                n.originator_version,
                n.topic,
                TIMESTAMP.sub(b'"_type_":"datetime_iso","_data_":"-"', n.state).decode(),
            ]
            for n in app.recorder.select_notifications(1, 1000)
        ]
        fingerprints = app.applied_fingerprints([c.id for c in commands])
    return {"events": events, "fingerprints": dict(sorted(fingerprints.items()))}


def test_an_import_stores_the_recorded_events_and_fingerprints(store: str) -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = stored(store)
    assert len(got["events"]) == len(expected["events"]) > 20
    for got_event, expected_event in zip(got["events"], expected["events"], strict=True):
        assert got_event == expected_event
    assert got["fingerprints"] == expected["fingerprints"]


if __name__ == "__main__":  # pragma: no cover - makes the record
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        record = stored(str(Path(folder) / "golden.sqlite"))
    json.dump(record, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
