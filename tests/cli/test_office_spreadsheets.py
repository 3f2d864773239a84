"""Spreadsheets in and out: roster import (.xlsx, GBK and UTF-8 CSV), the error
sheet, and exports to .xlsx and CSV with BOM."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner, Result

from renda_core import Renda
from renda_core.application.spreadsheets import ERROR_COLUMN, read_back, read_sheet
from renda_core.cli import cli
from renda_core.projections.log import count_events
from tests.application.scenario import DIVISIONS_CSV

HEADER_ZH = ["序号", "姓名", "层级", "届次", "选举单位", "行政区划代码", "任职日期"]
ROWS = [
    [1, "金美玉", "省", 14, "延边朝鲜族自治州人民代表大会", "222401", "2023-01-16"],
    [2, "李建國", "市", 16, "长春市人民代表大会", "220102", "2023-01-10"],
    [3, "王芳", "县", 18, "南关区人民代表大会", "220102", "2023-01-05"],
]


def run(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, "--actor", "clerk", *args])


def ok_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def events_in(store: str) -> int:
    with Renda(store) as app:
        return count_events(app)


def write_xlsx(path: Path, header: list[Any], rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def csv_text(header: list[Any], rows: list[list[Any]]) -> str:
    return "\r\n".join(",".join(str(v) for v in r) for r in [header, *rows]) + "\r\n"


def test_xlsx_import_export_round_trip_is_equal(store: str, tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "roster.xlsx", HEADER_ZH, ROWS)
    summary = ok_json(run(store, "deputy", "import", str(source), "--json"))
    assert summary["applied"] == 3 and summary["ignored_columns"] == ["序号"]
    assert len(summary["ids"]) == 3
    exported = tmp_path / "out.xlsx"
    result = run(store, "deputy", "list", "--format", "xlsx", "--output", str(exported))
    assert result.exit_code == 0, result.output
    table = read_back(exported.read_bytes())
    header, rows = table[0], table[1:]
    # every column of the office's sheet comes back with the same values
    original = {tuple(str(v) for v in row[1:]) for row in ROWS}
    columns = [header.index(name) for name in HEADER_ZH[1:]]
    assert {tuple(row[i] for i in columns) for row in rows} == original
    # the formatted sheet: frozen header, bold, widths
    ws = openpyxl.load_workbook(exported).worksheets[0]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert ws.column_dimensions["A"].width >= 8
    # importing the export again records nothing new
    events = events_in(store)
    again = ok_json(run(store, "deputy", "import", str(exported), "--json"))
    assert again["applied"] == 0 and again["skipped"] == 3
    assert events_in(store) == events


def test_gbk_and_utf8_bom_import_identically(store: str, tmp_path: Path) -> None:
    text = csv_text(HEADER_ZH, ROWS)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes(("\ufeff" + text).encode("utf-8"))
    assert read_sheet(gbk.read_bytes()).encoding == "gb18030"
    assert read_sheet(bom.read_bytes()).encoding == "utf-8-sig"
    assert read_back(gbk.read_bytes()) == read_back(bom.read_bytes())
    first = ok_json(run(store, "deputy", "import", str(gbk), "--json"))
    assert first["applied"] == 3
    events = events_in(store)
    second = ok_json(run(store, "deputy", "import", str(bom), "--json"))
    assert second["applied"] == 0 and second["skipped"] == 3
    assert events_in(store) == events
    names = {d["name"] for d in ok_json(run(store, "deputy", "list", "--json"))}
    assert names == {"金美玉", "李建國", "王芳"}


def test_error_sheet_names_the_bad_cells(store: str, tmp_path: Path) -> None:
    rows = [
        ROWS[0],
        [2, "李建国", "村", 16, "长春市人民代表大会", "220102", "2023-01-10"],  # C3 level
        # D4 (十八 or 第十八届 would be read as 18), G4
        [3, "王芳", "县", "第十八次", "南关区人民代表大会", "220102", "2023-13-05"],
    ]
    source = write_xlsx(tmp_path / "roster.xlsx", HEADER_ZH, rows)
    result = run(store, "deputy", "import", str(source))
    assert result.exit_code == 3, result.output
    assert events_in(store) == 0
    copy = tmp_path / "roster-错误说明.xlsx"
    assert copy.exists() and str(copy) in result.output
    table = read_back(copy.read_bytes())
    assert table[0][-1] == ERROR_COLUMN
    notes = {i + 1: row[-1] if len(row) == len(table[0]) else "" for i, row in enumerate(table)}
    assert notes[2] == ""
    assert notes[3].startswith("C3 (层级)") and "D" not in notes[3].split(":")[0]
    assert "D4 (届次)" in notes[4] and "G4 (任职日期)" in notes[4]
    assert "G4 (任职日期): Input should be a valid date or datetime, month value" in notes[4]
    # the notes in the clerk's language and punctuation (tests run in English: RENDA_LANG=en)
    assert run(store, "--lang", "zh", "deputy", "import", str(source)).exit_code == 3
    zh_notes = [row[-1] for row in read_back(copy.read_bytes())]
    assert "G4（任职日期）：应为有效的日期或日期时间：月应在 1–12 之间" in zh_notes[3]
    assert "C4" not in notes[4]
    # the clerk fixes the cells in the copy and imports it: the note column is ignored
    fixed = openpyxl.load_workbook(copy)
    ws = fixed.worksheets[0]
    ws["C3"], ws["D4"], ws["G4"] = "市", 18, "2023-01-05"
    fixed.save(copy)
    again = ok_json(run(store, "deputy", "import", str(copy), "--json"))
    assert again["applied"] == 3


def test_missing_column_and_changed_row_are_refused(store: str, tmp_path: Path) -> None:
    no_level = write_xlsx(
        tmp_path / "a.xlsx", [h for h in HEADER_ZH if h != "层级"], [r[:2] + r[3:] for r in ROWS]
    )
    result = run(store, "deputy", "import", str(no_level))
    assert result.exit_code == 3 and "层级" in result.output
    ok_json(
        run(
            store,
            "deputy",
            "import",
            str(write_xlsx(tmp_path / "b.xlsx", HEADER_ZH, ROWS)),
            "--json",
        )
    )
    events = events_in(store)
    changed = [[*ROWS[0][:5], "222402", ROWS[0][6]]]
    result = run(
        store, "deputy", "import", str(write_xlsx(tmp_path / "c.xlsx", HEADER_ZH, changed))
    )
    assert result.exit_code == 3 and "row 2" in result.output and "deputy correct" in result.output
    assert events_in(store) == events


def test_english_headers_and_divisions_from_xlsx(store: str, tmp_path: Path) -> None:
    lines = [line.split(",") for line in DIVISIONS_CSV.strip().splitlines()]
    zh = ["区划代码", "名称", "上级代码", "类型"]
    divisions = write_xlsx(tmp_path / "divisions.xlsx", zh, lines[1:])
    assert ok_json(run(store, "area", "import", str(divisions), "--json"))["recorded"] == 8
    gbk = tmp_path / "divisions-gbk.csv"
    gbk.write_bytes(csv_text(zh, lines[1:]).encode("gbk"))
    assert ok_json(run(store, "area", "import", str(gbk), "--json"))["unchanged"] == 8
    en = ["Name", "Level", "Term", "Electoral unit", "Area", "Date"]
    roster = write_xlsx(tmp_path / "en.xlsx", en, [r[1:] for r in ROWS])
    assert ok_json(run(store, "deputy", "import", str(roster), "--json"))["applied"] == 3


def test_csv_export_has_bom_and_chinese_headers(store: str, tmp_path: Path) -> None:
    ok_json(
        run(
            store,
            "deputy",
            "import",
            str(write_xlsx(tmp_path / "r.xlsx", HEADER_ZH, ROWS)),
            "--json",
        )
    )
    out = tmp_path / "list.csv"
    assert run(store, "deputy", "list", "--format", "csv", "--output", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].decode("utf-8").splitlines()[0].split(",")
    assert "姓名" in header and "层级" in header
    en = run(store, "deputy", "list", "--format", "csv", "--headers", "en")
    assert en.exit_code == 0
    assert en.stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert "name" in en.stdout_bytes[3:].decode().splitlines()[0].split(",")
    report = tmp_path / "deputies.xlsx"
    result = run(store, "report", "deputies", "--format", "xlsx", "--output", str(report))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(report)
    assert book.sheetnames[0] == "概要"
    assert run(store, "deputy", "list", "--format", "xlsx").exit_code == 3  # needs --output


def test_annual_report_workbook_has_a_sheet_per_section(store: str, tmp_path: Path) -> None:
    from renda_adapters.annual.model import SECTION_LABELS, SECTIONS

    source = write_xlsx(tmp_path / "roster.xlsx", HEADER_ZH, ROWS)
    ok_json(run(store, "deputy", "import", str(source), "--json"))
    figures = ok_json(run(store, "report", "annual", "--year", "2023", "--json"))
    out = tmp_path / "annual.xlsx"
    result = run(
        store,
        "report",
        "annual",
        "--year",
        "2023",
        "--lang",
        "zh",
        "--format",
        "xlsx",
        "--output",
        str(out),
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [SECTION_LABELS[s][0] for s in SECTIONS]
    for section in SECTIONS:
        ws = book[SECTION_LABELS[section][0]]
        assert [c.value for c in ws[1]] == ["指标", "数值", "字段"] and ws.freeze_panes == "A2"
        for label, value, key in ws.iter_rows(min_row=2, values_only=True):
            node: Any = figures
            for part in str(key).split("."):
                node = node[part]
            expected = "; ".join(map(str, node)) if isinstance(node, list) else node
            assert value == (None if expected == "" else expected) and label, key
    assert run(store, "report", "annual", "--year", "2023", "--format", "xlsx").exit_code == 3


def test_rejected_divisions_sheet_gets_an_error_copy(store: str, tmp_path: Path) -> None:
    lines = [line.split(",") for line in DIVISIONS_CSV.strip().splitlines()]
    bad = [*lines[1:], ["220102009", "名", "229999", "street"]]  # row 10: unknown parent
    source = write_xlsx(tmp_path / "divisions.xlsx", ["区划代码", "名称", "上级代码", "类型"], bad)
    result = run(store, "area", "import", str(source))
    assert result.exit_code == 3 and "divisions-错误说明.xlsx" in result.output
    assert events_in(store) == 0
    table = read_back((tmp_path / "divisions-错误说明.xlsx").read_bytes())
    assert table[0][-1] == ERROR_COLUMN
    assert [row[4] for row in table[1:9]] == [""] * 8  # the good rows carry no note
    assert table[9][-1].startswith("C10 (上级代码)")


def test_the_errors_copy_must_go_to_a_file(store: str, tmp_path: Path) -> None:
    """``--errors ''`` or a folder was taken as the path ``.`` and the annotated copy was
    silently not written; it is a usage error (exit 2) before anything is read."""
    source = write_xlsx(tmp_path / "roster.xlsx", HEADER_ZH, [ROWS[0]])
    for value in ("", str(tmp_path), str(tmp_path / "no-folder" / "x.xlsx")):
        result = run(store, "--lang", "en", "deputy", "import", str(source), "--errors", value)
        assert result.exit_code == 2, (value, result.output)
        assert "--errors" in result.output and "Traceback" not in result.output
    assert events_in(store) == 0
