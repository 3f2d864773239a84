"""What an auditor reads after a check, in the auditor's language: ``audit verify`` (a
store, its seals, the notes), ``audit verify --export`` and ``audit reproduce`` used to
print English under Chinese (「✓ chain intact: positions 1–5 …」)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core.cli import cli
from tests.audit.raw import register

NO_LOCALE = {"RENDA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
#: three English words in a row, outside option and variable names
ENGLISH_RUN = re.compile(r"\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b")


def run(store: str, *args: str, lang: str = "zh") -> Any:
    result = CliRunner().invoke(
        cli, ["--store", store, "--lang", lang, *args], env=NO_LOCALE, prog_name="renda"
    )
    assert result.exit_code == 0, result.output
    return result


def english(text: str) -> list[str]:
    return ENGLISH_RUN.findall(re.sub(r"--[\w-]+|RENDA_\w+", "", text))


def test_verify_speaks_the_auditors_language(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = run(store, "--role", "auditor", "audit", "verify")
    assert empty.stdout.strip() == "✓ 日志为空：无需核验"
    register(store, 3)
    key = tmp_path / "seal.pem"
    run(store, "audit", "keygen", "--output", str(key))
    monkeypatch.setenv("RENDA_SEAL_KEY", str(key))
    run(store, "--role", "auditor", "audit", "seal")
    monkeypatch.delenv("RENDA_SEAL_KEY")
    register(store, 2, start=3)

    zh = run(store, "--role", "auditor", "audit", "verify").stdout
    flat = "".join(zh.split())
    assert re.search(r"✓哈希链完好：第1–\d+号（\d+个事件），链头[0-9a-f]{64}", flat), zh
    assert re.search(r"✓封印#\d+（第\d+号，[\dT:-]+）：相符", flat), zh
    assert "注：签名按每个封印所记录的公钥核验" in flat  # no --public-key given
    assert english(zh) == [], zh
    trusted = run(
        store, "--role", "auditor", "audit", "verify", "--public-key", f"{key}.pub"
    ).stdout
    assert "注：" not in trusted

    en = run(store, "--role", "auditor", "audit", "verify", lang="en").stdout
    assert "✓ chain intact: positions 1–" in en
    assert "note: signatures were checked against the public key" in en
    as_json = json.loads(run(store, "--role", "auditor", "audit", "verify", "--json").stdout)
    assert as_json["notes"][0].startswith("signatures were checked")  # programs: as recorded


def test_an_export_check_and_a_reproduced_report_speak_it_too(store: str, tmp_path: Path) -> None:
    register(store, 2)
    out = tmp_path / "log.jsonl"
    run(store, "--role", "staff", "audit", "export", "--output", str(out))
    missing = str(tmp_path / "no-store.sqlite")
    checked = run(missing, "audit", "verify", "--export", str(out)).stdout
    flat = "".join(checked.split())
    assert re.search(
        r"✓导出完好：第1–\d+号（\d+行，\d+个事件），链头[0-9a-f]{64}，SHA-256与清单一致", flat
    )
    assert english(checked) == [], checked

    report = run(store, "report", "deputies", "--json").stdout
    path = tmp_path / "report.json"
    path.write_text(report, encoding="utf-8")
    same = run(store, "--role", "auditor", "audit", "reproduce", str(path)).stdout
    assert "".join(same.split()).startswith("✓一致：报告“deputies”已从存储"), same
    assert english(same) == [], same
    en = run(store, "--role", "auditor", "audit", "reproduce", str(path), lang="en").stdout
    assert en.startswith("✓ identical: 'deputies' recomputed from store ")


def test_a_tampered_log_is_reported_in_the_auditors_language(store: str) -> None:
    from tests.audit.raw import raw

    register(store, 4)
    with raw(store) as db:
        db.q("DELETE FROM {events} WHERE {pos} = 3")
    args = ["--store", store, "--lang", "zh", "--role", "auditor", "audit", "verify"]
    zh = CliRunner().invoke(cli, args, env=NO_LOCALE, prog_name="renda")
    assert zh.exit_code == 11, zh.output
    assert "日志被改动：第 3 号：已删除（其在哈希链中的链接仍在）" in zh.output
    assert english(zh.output) == [], zh.output
    args[args.index("zh")] = "en"
    en = CliRunner().invoke(cli, args, env=NO_LOCALE, prog_name="renda")
    assert "the log was altered: position 3: deleted (its link in the chain remains)" in en.output
