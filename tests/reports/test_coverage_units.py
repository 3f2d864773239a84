"""The annual report's station coverage by prefecture lists the county-level units a
province administers directly (省直辖县级行政单位, codes XX90YY: 湖北's 仙桃市 and 潜江市,
海南's 文昌市, 河南's 济源市) each on its own row, as those provinces' reports list them
beside their 市州: the rows add up to the province's total, where they used to leave
those townships out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from renda_core.cli import cli

HUBEI = (
    "420000,湖北省\n420100,武汉市\n420102,江岸区\n420102001,大智街道\n"
    "429004,仙桃市\n429004001,沙嘴街道\n429004002,干河街道\n"
    "429005,潜江市\n429005001,园林街道\n"
)


def _run(store: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--store", store, *args])
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _coverage(store: str, *extra: str) -> dict[str, Any]:
    data = json.loads(_run(store, "report", "annual", "--year", "2023", "--json", *extra))
    found: dict[str, Any] = data["stations"]["coverage_by_prefecture"]
    assert data["stations"]["divisions_total"] >= sum(
        unit["divisions_total"] for unit in found.values()
    )
    return found


def test_directly_administered_units_have_their_own_rows(store: str, tmp_path: Path) -> None:
    sheet = tmp_path / "divisions.csv"
    sheet.write_text("区划代码,名称\n" + HUBEI, encoding="utf-8")
    _run(store, "area", "import", str(sheet), "--date", "2023-01-01")
    _run(
        store, "station", "establish", "--name", "沙嘴代表之家", "--kind", "home",
        "--division", "429004001", "--date", "2023-02-01",
    )  # fmt: skip
    found = _coverage(store)
    assert {code: (u["name"], u["divisions_total"], u["divisions_covered"])
            for code, u in found.items()} == {
        "420100": ("武汉市", 1, 0),
        "429004": ("仙桃市", 2, 1),
        "429005": ("潜江市", 1, 0),
    }  # fmt: skip
    assert list(found) == sorted(found)
    assert sum(u["divisions_total"] for u in found.values()) == 4  # the province's total
    assert found["429004"]["coverage_rate"] == 0.5
    assert list(_coverage(store, "--area", "4201")) == ["420100"]
    assert list(_coverage(store, "--area", "429004")) == ["429004"]
