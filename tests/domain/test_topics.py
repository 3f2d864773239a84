"""Topics resolve without their modules imported first (``renda_core.domain.topics``):
a report's reader decodes an event of any aggregate, whatever adapters it imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from eventsourcing.utils import resolve_topic

from renda_core import Renda
from renda_core.application.readpolicy import record_disclosure
from renda_core.domain.catalogue import aggregates, topics
from renda_core.domain.topics import DOMAIN, MODULES, register_lazy_topics
from renda_core.domain.values import Actor


def test_the_map_names_every_aggregate_s_module() -> None:
    expected = {
        a.__dict__["TOPIC"].removeprefix("renda:"): a.__module__.rsplit(".", 1)[1]
        for a in aggregates()
    }
    assert expected == MODULES


def test_each_topic_resolves_through_the_lazy_domain_to_its_own_class() -> None:
    register_lazy_topics()
    register_lazy_topics()  # idempotent
    every = sorted(topics() | {a.__dict__["TOPIC"] for a in aggregates()})
    assert len(every) > 100
    for topic in every:
        obj: object = DOMAIN
        for part in topic.removeprefix("renda:").split("."):
            obj = getattr(obj, part)
        assert obj is resolve_topic(topic), topic  # what eventsourcing registered


@pytest.mark.parametrize("opener", ["renda_core.application.base", "renda_core.application.reader"])
def test_a_fresh_process_decodes_an_aggregate_it_never_imported(opener: str) -> None:
    """Whatever opens the log (the application's base, which every command's and the
    reader's store is) registers the lazy topics."""
    probe = (
        "import sys\n"
        "from eventsourcing.utils import resolve_topic\n"
        f"import {opener}\n"
        "assert 'renda_core.domain.division' not in sys.modules\n"
        "cls = resolve_topic('renda:Division.Recorded')\n"
        "print(cls.__module__, 'renda_core.domain.division' in sys.modules)\n"
        "try:\n"
        "    resolve_topic('renda:NoSuchAggregate.Happened')\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["renda_core.domain.division", "True", "TopicError"]


def test_renda_events_list_decodes_an_event_its_commands_never_import(tmp_path: Path) -> None:
    """A disclosure (recorded by an auditor's read) is an aggregate no command of
    ``events list`` imports: the whole process must still decode it (it once failed
    with a traceback, "Failed to resolve topic 'renda:Disclosure…'")."""
    store = str(tmp_path / "renda.sqlite")
    with Renda(store) as app:
        record_disclosure(app, "contact.show", ["unit:省商务厅"], "核对", Actor("a-1", "auditor"))
    result = subprocess.run(
        [sys.executable, "-m", "renda_core.cli", "--store", store, "events", "list", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "RENDA_PLUGINS": ""},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [e["topic"] for e in listed] == ["renda:Disclosure.PersonalDataDisclosed"]
