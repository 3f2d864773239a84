"""Every list and report that exports a spreadsheet heads its columns in Chinese under
``--headers zh`` (issue 13: "CSV with BOM and Chinese headers"): run on a small but
rich demo store (``renda demo --scale 0.05``, on SQLite and PostgreSQL), no header
cell, sheet name or section title is an untranslated machine key — but for the ones
listed, each with its reason. A key a command's export carries that none of its tables
labels is named in ``renda_core.cli.export_headers.EXPORT_KEYS`` and catalogued under
the command (docs/i18n.md)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from renda_core.cli import cli
from renda_core.i18n_tables import command_paths
from tests.conftest import _new_schema, postgres_url

NO_LOCALE = {"RENDA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
CJK = re.compile(r"[\u3400-\u9fff]")

#: header cells that stay as they are under --headers zh, and why
NOT_TRANSLATED: dict[str, str] = {
    "ID": "the suffix that keeps two keys apart (代表家站ID beside 代表家站) is no key",
}
#: commands whose --format takes csv/xlsx but that have no --headers, and why; what the
#: test checks of them instead is in test_reports_without_headers_follow_lang
NO_HEADERS_OPTION: dict[str, str] = {
    "renda audit export": "the log's own columns, read back by `renda audit verify "
    "--export` (docs/audit.md): machine keys on purpose",
    "renda report annual": "its csv is the documented machine form `section,figure,value` "
    "(docs/reports.md); its xlsx follows --lang",
    "renda report handling": "its csv heads columns with the keys of --format json "
    "(docs/reports.md); its xlsx follows --lang",
}
#: arguments and options a command needs to run on the demo store
NEEDS: dict[str, tuple[str, ...]] = {"renda report assessment": ("--year", "2023")}


def _exports(command: click.Command) -> bool:
    for param in command.params:
        if "--format" in getattr(param, "opts", ()) and isinstance(param.type, click.Choice):
            return "csv" in param.type.choices
    return False


EXPORTING = [path for path, command in command_paths(cli) if _exports(command)]
WITH_HEADERS = [p for p in EXPORTING if p not in NO_HEADERS_OPTION]


def test_the_commands_that_export_are_found() -> None:
    assert len(EXPORTING) > 30 and "renda deputy list" in EXPORTING
    assert "renda report deputies" in EXPORTING and "renda report assessment" in EXPORTING
    assert set(NO_HEADERS_OPTION) <= set(EXPORTING)
    for path, command in command_paths(cli):
        options = {o for p in command.params for o in getattr(p, "opts", ())}
        if path in EXPORTING:
            assert ("--headers" in options) == (path not in NO_HEADERS_OPTION), path


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A demo province at 5 % of the seed, built once per backend."""
    schema = None
    if request.param == "sqlite":
        store = str(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    else:
        request.applymarker(pytest.mark.postgres)
        pg_admin = request.getfixturevalue("pg_admin")
        schema = _new_schema(pg_admin)
        store = f"{postgres_url()}?schema={schema}"
    built = CliRunner().invoke(cli, ["demo", "--store", store, "--quiet", "--scale", "0.05"])
    assert built.exit_code == 0, built.output
    add = ["--actor", "clerk", "actor", "add", "clerk", "--name", "王书记员", "--role", "staff"]
    added = CliRunner().invoke(cli, ["--store", store, *add])  # the demo registers none
    assert added.exit_code == 0, added.output
    yield store
    if schema is not None:
        pg_admin.execute(f"DROP SCHEMA {schema} CASCADE")


def run(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], env=NO_LOCALE, prog_name="renda")


def untranslated(cells: list[Any]) -> list[str]:
    """The cells that are ASCII machine keys (no Chinese), beyond :data:`NOT_TRANSLATED`."""
    return [
        str(c)
        for c in cells
        if c not in (None, "") and not CJK.search(str(c)) and str(c) not in NOT_TRANSLATED
    ]


def sheets(path: Path) -> list[tuple[str, list[Any]]]:
    """(sheet name, header row) of every sheet of a workbook."""
    book = load_workbook(path, read_only=True)
    found = []
    for sheet in book.worksheets:
        first = next(sheet.iter_rows(max_row=1, values_only=True), ())
        found.append((sheet.title, list(first)))
    book.close()
    return found


#: a part of a figure's path left as the report's key (``by_level``, ``county``, a class ``A``)
MACHINE_PART = re.compile(r"^(?:[a-z][a-z0-9_]*|[A-D])$")


def summary_figures(path: Path) -> list[str]:
    """The figure column of a report workbook's summary sheet (概要), if it has one."""
    book = load_workbook(path, read_only=True)
    try:
        if "概要" not in book.sheetnames:
            return []
        return [str(row[0]) for row in book["概要"].iter_rows(min_row=2, values_only=True)]
    finally:
        book.close()


def machine_parts(figures: list[str]) -> list[str]:
    """The parts of summary figures (``按层级·县级``) still named by their keys."""
    return sorted({p for figure in figures for p in figure.split("·") if MACHINE_PART.match(p)})


def test_a_summary_figure_is_named_part_by_part() -> None:
    """The check below fails on a key: the parts are labelled under the report's context,
    a part that is data (a year, a unit's name) stays as it is."""
    from renda_core.cli.shaping import figure_label, to_sections

    data = {"by_level": {"county": 3}, "contacts": {"2023": 5}, "by_unit": {"省教育厅": 1}}
    root = click.Context(click.Group("renda"))
    report = click.Context(click.Group("report"), parent=root)
    with click.Context(click.Command("deputies"), parent=report):  # renda report deputies
        figures = [row[0] for row in to_sections(data, "zh")[0].rows]
    assert figures == ["按层级·县级", "联系·2023", "by_unit·省教育厅"]
    assert machine_parts(figures) == ["by_unit"]
    assert figure_label("by_level.county", "en") == "by_level.county"


def test_an_empty_table_is_an_empty_sheet_not_a_summary_figure(tmp_path: Path) -> None:
    """``renda report plan`` with no plans: the plans are a sheet with no rows, and the
    summary holds no "[]" figure (it did)."""
    from renda_core.cli.shaping import to_sections

    sections = to_sections({"year": 2023, "plans": [], "tasks": 0}, "en")
    assert [s.title for s in sections] == ["summary", "plans"]
    assert sections[0].rows == [["year", 2023], ["tasks", 0]]
    assert sections[1].header == [] and sections[1].rows == []
    out = tmp_path / "plan.xlsx"
    store = str(tmp_path / "empty.sqlite")
    result = CliRunner().invoke(
        cli,
        [
            "--store",
            store,
            "report",
            "plan",
            "--year",
            "2023",
            "--format",
            "xlsx",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert len(book.sheetnames) == 2  # the summary, and the (empty) plans
    summary = [str(cell.value) for row in book.worksheets[0].iter_rows() for cell in row]
    assert "[]" not in summary


@pytest.mark.parametrize("path", WITH_HEADERS)
def test_every_export_heads_its_columns_in_chinese(demo: str, path: str, tmp_path: Path) -> None:
    args = [*path.split()[1:], *NEEDS.get(path, ())]
    for lang in ("zh", "en"):  # --headers zh whatever the language
        out = tmp_path / f"{lang}.xlsx"
        result = run(
            demo, "--lang", lang, *args, "--format", "xlsx", "--headers", "zh", "--output", str(out)
        )
        assert result.exit_code == 0, result.output
        found = sheets(out)
        assert found and any(header for _, header in found), (path, found)
        for title, header in found:
            assert untranslated([title, *header]) == [], (path, title, header)
        assert machine_parts(summary_figures(out)) == [], path
    result = run(demo, *args, "--format", "csv", "--headers", "zh")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0] == [str(c) for c in found[0][1]], (path, rows[0])  # the first sheet's
    titles = [rows[i + 1] for i in range(len(rows) - 1) if rows[i] == []]  # a section's title
    assert untranslated([cell for title in titles for cell in title]) == [], (path, titles)
    en = list(
        csv.reader(
            io.StringIO(
                run(demo, *args, "--format", "csv", "--headers", "en").stdout_bytes.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert len(en[0]) == len(rows[0]) and not [h for h in en[0] if CJK.search(h)], en[0]


@pytest.mark.parametrize("path", ["renda report annual", "renda report handling"])
def test_reports_without_headers_follow_lang(demo: str, path: str, tmp_path: Path) -> None:
    """The annual and handling reports head their workbooks by --lang: Chinese in zh."""
    out = tmp_path / "report.xlsx"
    args = [*path.split()[1:], "--year", "2023", "--format", "xlsx", "--output", str(out)]
    result = run(demo, "--lang", "zh", *args)
    assert result.exit_code == 0, result.output
    for title, header in sheets(out):
        assert CJK.search(title), (path, title)
        assert untranslated(header) == [], (path, title, header)


def test_every_export_key_is_a_key_of_its_commands_export(demo: str) -> None:
    """Each key :data:`EXPORT_KEYS` names is carried by its command's export (a key that
    went away leaves no stale entry)."""
    from renda_core.cli.export_headers import EXPORT_KEYS

    for path, keys in EXPORT_KEYS.items():
        assert path in WITH_HEADERS, path
        result = run(
            demo, *path.split()[1:], *NEEDS.get(path, ()), "--format", "csv", "--headers", "en"
        )
        assert result.exit_code == 0, result.output
        text = result.stdout_bytes.decode("utf-8-sig")
        headers = {c for row in csv.reader(io.StringIO(text)) for c in row[:30]}
        missing = [k for k in keys if k not in headers]
        assert missing == [], (path, missing)
