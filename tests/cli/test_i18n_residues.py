"""The last English left in Chinese output (issue 13 item 4): click's type names in
usage errors, table titles built with f-strings, show rows built from data, and
spreadsheet headers per command."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import click
import click.types
from click.testing import CliRunner

from renda_core import Renda, i18n
from renda_core.cli import cli
from renda_core.cli.i18n import CLICK_TYPE_CONTEXT, CLICK_TYPE_NAMES, click_type_name
from tests.application.test_escalation import accepted_opinion
from tests.application.test_suggestions import UNIT, assigned, deputy, drafted
from tests.conftest import STAFF

NO_LOCALE = {"RENDA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
CJK = re.compile(r"[\u3400-\u9fff]")


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), env=NO_LOCALE, prog_name="renda")


def test_usage_errors_name_clicks_type_in_the_active_language(store: str) -> None:
    zh = invoke("--store", store, "--lang", "zh", "deputy", "list", "--limit", "abc")
    assert zh.exit_code == 2, zh.output
    assert "'abc' 不是有效的范围内的整数" in zh.output
    assert "integer" not in zh.output
    en = invoke("--store", store, "--lang", "en", "deputy", "list", "--limit", "abc")
    assert "'abc' is not a valid integer range." in en.output


def test_every_type_name_of_click_is_catalogued_in_chinese() -> None:
    names = {
        kind.name
        for kind in vars(click.types).values()
        if isinstance(kind, type)
        and issubclass(kind, click.ParamType)
        and isinstance(getattr(kind, "name", None), str)
    }
    assert names <= set(CLICK_TYPE_NAMES), names - set(CLICK_TYPE_NAMES)
    with i18n.use("zh_CN"):
        for name in CLICK_TYPE_NAMES:
            assert i18n.catalogued(name, CLICK_TYPE_CONTEXT), name
            shown = click_type_name(name)
            assert name == "uuid" or CJK.search(shown), (name, shown)
        assert click_type_name("File") == "文件"  # click title-cases a path's name
    with i18n.use("en"):
        assert click_type_name("File") == "File"
        assert click_type_name("integer") == "integer"


def test_clock_and_outbox_titles_speak_chinese(store: str) -> None:
    zh = invoke("--store", store, "--lang", "zh", "clock", "tick", "--as-of", "2026-11-30")
    assert zh.exit_code == 0, zh.output
    assert "时钟 2026-11-30：发出 0 条" in zh.output
    assert "Clock" not in zh.output and "issued" not in zh.output
    zh = invoke("--store", store, "--lang", "zh", "deliver", "status")
    assert zh.exit_code == 0, zh.output
    assert "发件箱：待发送 0，已发送 0，死信 0" in zh.output
    assert "Outbox" not in zh.output and "pending" not in zh.output
    en = invoke("--store", store, "--lang", "en", "clock", "tick", "--as-of", "2026-11-30")
    assert "Clock 2026-11-30: 0 issued" in en.output
    en = invoke("--store", store, "--lang", "en", "deliver", "status")
    assert "Outbox: 0 pending, 0 sent, 0 dead" in en.output


def test_opinion_history_rows_speak_chinese(app: Renda, store: str) -> None:
    opinion, _ = accepted_opinion(app)
    app.answer_opinion({"opinion_id": opinion, "result": "已当场解答", "date": "2023-03-03"}, STAFF)
    zh = invoke("--store", store, "--lang", "zh", "opinion", "show", str(opinion))
    assert zh.exit_code == 0, zh.output
    assert "审查：受理" in zh.output and "当场答复" in zh.output and "已收集" in zh.output
    assert not re.search(r"screened|accepted|answered|collected", zh.output), zh.output
    en = invoke("--store", store, "--lang", "en", "opinion", "show", str(opinion))
    assert "screened: accepted" in en.output and "answered on the spot" in en.output


def test_suggestion_reply_and_evaluation_rows_are_numbered_in_chinese(
    app: Renda, store: str
) -> None:
    _, lead = deputy(app)
    sid = assigned(app, lead)
    reply = {"suggestion_id": sid, "result_class": "A", "text": "已解决", "date": "2024-11-01"}
    app.reply_suggestion(reply, UNIT)
    evaluation = {"suggestion_id": sid, "attitude": "满意", "result": "基本满意"}
    app.evaluate_suggestion({**evaluation, "date": "2024-11-05"}, lead)
    zh = invoke("--store", store, "--lang", "zh", "suggestion", "show", str(sid))
    assert zh.exit_code == 0, zh.output
    assert "第1次答复" in zh.output and "第1次评价" in zh.output
    assert "满意/基本满意" in zh.output
    assert not re.search(r"reply|evaluation", zh.output), zh.output
    en = invoke("--store", store, "--lang", "en", "suggestion", "show", str(sid))
    assert "reply 1" in en.output and "evaluation 1" in en.output
    assert "satisfied/basically satisfied" in en.output


def csv_header(store: str, *args: str) -> list[str]:
    result = invoke("--store", store, *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    return result.stdout_bytes.decode("utf-8-sig").splitlines()[0].split(",")


def test_spreadsheet_headers_follow_each_commands_table(app: Renda, store: str) -> None:
    accepted_opinion(app)  # divisions, a deputy, a station
    stations = csv_header(store, "station", "list")
    assert "名称" in stations and "姓名" not in stations  # a station's name is no person's
    assert "进站代表数" in stations  # a key the shared list lacks: the table's header
    assert not [h for h in stations if re.fullmatch(r"[a-z_]+", h)], stations
    assert csv_header(store, "--lang", "en", "station", "list") == stations  # zh whatever --lang
    assert "name" in csv_header(store, "station", "list", "--headers", "en")
    areas = csv_header(store, "area", "list")
    assert "名称" in areas and "姓名" not in areas
    opinions = csv_header(store, "opinion", "list")
    assert len(set(opinions)) == len(opinions), opinions  # station_id, station: two headers
    assert "代表家站ID" in opinions and "代表家站" in opinions
    deputies = csv_header(store, "deputy", "list")
    assert "姓名" in deputies and "行政区划代码" in deputies  # what deputy import reads


def test_exported_headers_are_what_the_importers_read(app: Renda, store: str) -> None:
    from renda_core.application.spreadsheets import DEPUTY_COLUMNS, DIVISION_COLUMNS

    accepted_opinion(app)
    for args, columns in (
        (("deputy", "list"), DEPUTY_COLUMNS),
        (("area", "list"), DIVISION_COLUMNS),
    ):
        zh, en = csv_header(store, *args), csv_header(store, *args, "--headers", "en")
        for column in columns:
            if column.key in en:
                assert zh[en.index(column.key)] == column.zh, (args, column)


# ------------------------------------------------------------------ values inside cells


def test_outbox_states_are_labelled_as_outbox_states(app: Renda, store: str) -> None:
    from datetime import UTC, datetime

    from renda_core.notify import Notifier
    from renda_core.notify.outbox import DEAD, SENT
    from renda_core.ports.plugins import get_plugin_manager

    _, lead = deputy(app)
    assigned(app, lead)
    n = Notifier(app, get_plugin_manager())
    n.derive()
    n.tick(date(2024, 12, 28), STAFF)
    rows = n.outbox.rows()
    assert len(rows) >= 3, rows
    now = datetime(2024, 12, 28, 9, tzinfo=UTC)
    sent, dead = rows[0].message.key, rows[1].message.key
    n.outbox.outcome(sent, attempt=1, status=SENT, outcome="sent", detail="ok", now=now)
    n.outbox.outcome(dead, attempt=1, status=DEAD, outcome="dead", detail="HTTP 404", now=now)
    zh = invoke("--store", store, "--lang", "zh", "deliver", "status", "--all")
    assert zh.exit_code == 0, zh.output
    assert "待发送" in cells(zh.output) and "已发送" in cells(zh.output)
    assert "死信" in cells(zh.output)
    assert not re.search(r"\b(pending|sent|dead)\b", zh.output), zh.output
    zh = invoke("--store", store, "--lang", "zh", "deliver", "dead-letters")
    assert cells(zh.output).count("死信") == 1, zh.output
    en = invoke("--store", store, "--lang", "en", "deliver", "status", "--all")
    assert {"pending", "sent", "dead"} <= set(cells(en.output)), en.output
    shown = invoke("--store", store, "--lang", "zh", "deliver", "status", "--all", "--json")
    statuses = {m["status"] for m in json.loads(shown.stdout)["messages"]}
    assert statuses == {"pending", "sent", "dead"}  # machine keys stay in JSON
    with i18n.use("zh_CN"):  # an outbox state is no other table's
        assert i18n.term_text("pending", "outbox.STATUS_LABELS") == "待发送"
        assert i18n.term_text("pending") == "pending"
        assert i18n.term_text("sent") == "sent"


def cells(output: str) -> list[str]:
    """The cells of the rich tables in ``output``."""
    return [c.strip() for line in output.splitlines() for c in re.split(r"[│┃]", line)[1:-1]]


def test_deadline_names_inside_values_are_terms(app: Renda, store: str) -> None:
    _, lead = deputy(app)
    sid = drafted(app, lead)
    app.submit_suggestion({"suggestion_id": sid, "date": "2024-09-10"}, lead)
    app.accept_suggestion({"suggestion_id": sid, "date": "2024-09-20"}, STAFF)
    assign = ("suggestion", "assign", str(sid), "--lead-unit", "省商务厅", "--co-unit")
    zh = invoke("--store", store, "--lang", "zh", *assign, "省交通运输厅", "--date", "2024-09-27")
    assert zh.exit_code == 0, zh.output
    assert "答复期限 2024-12-27（省商务厅）；" in zh.output, zh.output
    assert "协办意见期限" in zh.output and "申请调整截止日期 2024-10-" in zh.output
    assert not re.search(r"_due|_until", zh.output), zh.output
    zh = invoke("--store", store, "--lang", "zh", "suggestion", "show", str(sid))
    assert "答复期限 2024-12-27（省商务厅）" in cells(zh.output), zh.output
    en = invoke("--store", store, "--lang", "en", "suggestion", "show", str(sid))
    assert "reply due 2024-12-27 (省商务厅)" in cells(en.output), en.output
    shown = invoke("--store", store, "--lang", "zh", "suggestion", "show", str(sid), "--json")
    deadlines = {d["deadline"] for d in json.loads(shown.stdout)["open_deadlines"]}
    assert deadlines == {"reply_due", "co_opinion_due"}  # machine keys stay in JSON
    late = invoke("--store", store, "--lang", "zh", "suggestion", "overdue", "--on", "2025-01-06")
    assert "答复期限" in cells(late.output) and "协办意见期限" in cells(late.output), late.output
    assert not re.search(r"_due", late.output), late.output
    tick = ("clock", "tick", "--as-of", "2024-12-28")
    zh = invoke("--store", store, "--lang", "zh", *tick)
    assert zh.exit_code == 0, zh.output
    assert {"答复期限", "到期当日", "协办意见期限", "逾期第 9 周", "催办"} <= set(cells(zh.output))
    assert not re.search(r"_due|overdue|urge|remind", zh.output), zh.output
    with i18n.use("en"):
        assert i18n.term_text("reply_due") == "reply due"
    en = invoke("--store", store, "--lang", "en", "clock", "tick", "--as-of", "2024-12-28")
    assert en.exit_code == 0 and "issued" in en.output  # ticked already: nothing new


def test_a_parameters_name_in_usage_errors_is_its_name_in_the_help() -> None:
    """Every command's missing argument is named as its usage line names it, in each
    language (click builds "Missing argument 'X'" from the metavar the help shows)."""
    from renda_core.i18n_tables import command_paths

    checked = 0
    for path, command in command_paths(cli):
        arguments = [p for p in command.params if isinstance(p, click.Argument) and p.required]
        if not arguments:
            continue
        for lang in ("zh", "en"):
            result = invoke("--lang", lang, *path.split()[1:])
            assert result.exit_code == 2, (path, result.output)
            usage = result.output.splitlines()[0]
            named = re.search(r"(?:Missing argument|缺少参数) '([^']+)'", result.output)
            assert named, (path, result.output)
            assert named.group(1) in usage, (path, lang, result.output)
            if lang == "zh":
                assert not re.search(r"\b[A-Z][A-Z_]{2,}\b", named.group(1)), result.output
        checked += 1
    assert checked > 50


def test_a_bad_path_is_explained_in_the_active_language(tmp_path: Any) -> None:
    missing = str(tmp_path / "nope.csv")
    zh = invoke("--lang", "zh", "deputy", "import", missing)
    assert zh.exit_code == 2
    assert f"'文件' 的值无效：'{missing}': 没有这个文件或文件夹" in zh.output, zh.output
    en = invoke("--lang", "en", "deputy", "import", missing)
    assert f"Invalid value for 'FILE': '{missing}': No such file or directory" in en.output
    folder = invoke("--lang", "zh", "deputy", "import", str(tmp_path))
    assert "是一个文件夹" in folder.output and "directory" not in folder.output, folder.output
    out = str(tmp_path / "none" / "x.csv")
    zh = invoke("--lang", "zh", "deputy", "list", "--format", "csv", "--output", out)
    assert zh.exit_code == 2
    assert f"'--output' 的值无效：文件夹 '{tmp_path / 'none'}' 不存在" in zh.output, zh.output
    zh = invoke("--lang", "zh", "deputy", "list", "--format", "csv", "--output", str(tmp_path))
    assert "是文件夹；请给出文件路径" in zh.output, zh.output
    en = invoke("--lang", "en", "deputy", "list", "--format", "csv", "--output", str(tmp_path))
    assert "is a folder; give a file path" in en.output
    js = invoke("--lang", "zh", "deputy", "import", missing, "--json")
    assert "没有这个文件或文件夹" in json.loads(js.stderr)["message"], js.stderr
    # ~name/… of a user this machine does not have: was a traceback (RuntimeError)
    nobody = "~no-such-user-here/x.csv"
    zh = invoke("--lang", "zh", "deputy", "list", "--format", "csv", "--output", nobody)
    assert zh.exit_code == 2 and "指向本机没有的用户的主目录" in zh.output, zh.output
    zh = invoke("--lang", "zh", "--store", "~no-such-user-here/r.sqlite", "deputy", "list")
    assert zh.exit_code == 8 and "存储 '~no-such-user-here/r.sqlite' 指向本机没有的" in zh.output
    en = invoke("--lang", "en", "--store", "~no-such-user-here/r.sqlite", "deputy", "list")
    assert "names the home folder of a user unknown here" in en.output, en.output


def test_deliver_and_contact_lines_speak_chinese(store: str) -> None:
    def zh(*args: str) -> str:
        result = invoke("--store", store, "--lang", "zh", *args)
        assert result.exit_code == 0, result.output
        return str(result.output)

    assert "派生 0 条；已发送 0 条，待重试 0 条，死信 0 条" in zh("deliver", "run", "--once")
    # a line of placeholders takes the Chinese colon, as the removal line does
    assert zh("contact", "set", UNIT.role, "email", "a@b.cn") == "unit:省商务厅 email：a***@b.cn\n"
    assert "a***@b.cn（未变）" in zh("contact", "set", UNIT.role, "email", "a@b.cn")
    assert "没有可删除的地址" in zh("contact", "remove", UNIT.role, "phone")
    assert "unit:省商务厅 email：已删除" in zh("contact", "remove", UNIT.role, "email")
    en = invoke("--store", store, "--lang", "en", "contact", "remove", UNIT.role, "email")
    assert en.output == "nothing to remove\n"
    en = invoke("--store", store, "--lang", "en", "deliver", "run", "--once")
    assert "derived 0; sent 0, retrying 0, dead letters 0" in en.output


def test_dates_out_of_bounds_are_whole_sentences_in_chinese(store: str) -> None:
    """The business date's and the planned date's upper bounds are two catalogued
    sentences, not one sentence with an English phrase put into it."""
    from pydantic import TypeAdapter, ValidationError

    from renda_core.application.fields import PlannedDate
    from renda_core.cli.i18n import translate_template

    args = ["--name", "张三", "--level", "provincial", "--term", "14"]
    args += ["--electoral-unit", "长春市", "--area", "220100", "--date", "2999-01-01"]
    zh = invoke("--store", store, "--lang", "zh", "deputy", "register", *args)
    assert zh.exit_code == 3, zh.output
    assert "日期 2999-01-01 是将来的日期：业务日期最晚为今天之后" in zh.output
    assert not re.search(r"[A-Za-z]{3,}", zh.output.split("date：", 1)[1]), zh.output
    en = invoke("--store", store, "--lang", "en", "deputy", "register", *args)
    assert "date 2999-01-01 is in the future: a business date is at most" in en.output

    try:
        TypeAdapter(PlannedDate).validate_python("2999-01-01")
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
    assert reason.startswith("date 2999-01-01 is too far ahead: a planned date is at most")
    with i18n.use("zh_CN"):
        shown = translate_template(reason, ())
    assert shown.startswith("日期 2999-01-01 过远：计划日期最晚为今天之后"), shown
    assert not re.search(r"[A-Za-z]{3,}", shown), shown


def _bad_import_file(tmp_path: Any, bad_lines: int) -> str:
    lines = ['{"command":"deputy.register","data":{"name":"李四"}}', "not json"]
    lines += ['{"command":"nope","id":"b","actor":{"id":"x","role":"staff"},"data":{}}']
    lines += [f'{{"command":"deputy.register","id":"a{n}","data":{{}}}}' for n in range(bad_lines)]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_rejected_import_file_is_reported_in_the_clerks_language(
    store: str, tmp_path: Any
) -> None:
    """Each bad line's label, the JSON parser's reason and the summary are Chinese; the
    summary's first error keeps its field whole ("line 1: id")."""
    path = _bad_import_file(tmp_path, 2)
    zh = invoke("--store", store, "--lang", "zh", "import", path)
    assert zh.exit_code == 3, zh.output
    assert "第 2 行 json：不是有效的 JSON（第 1 列：此处应为一个值）" in zh.output
    assert "第 3 行 command：未知命令 'nope'" in zh.output
    assert "错误：5 行中有 6 处错误；没有导入任何内容。第一处：第 1 行 id：必填字段" in zh.output
    assert "line " not in zh.output and "error(s)" not in zh.output
    en = invoke("--store", store, "--lang", "en", "import", path)
    assert "line 2: json: not valid JSON (Expecting value at column 1)" in en.output
    assert "6 error(s) on 5 line(s); nothing was imported. First: line 1: id: Field required" in (
        en.output
    )
    as_json = invoke("--store", store, "--lang", "zh", "import", path, "--json")
    error = json.loads(as_json.output)
    assert error["message"].startswith("5 行中有 6 处错误；"), error  # the active language
    assert [f["field"] for f in error["fields"]][:3] == [
        "line 1: id",
        "line 1: actor",
        "line 2: json",
    ]


def test_a_long_rejected_import_file_says_how_many_errors_are_not_listed(
    store: str, tmp_path: Any
) -> None:
    path = _bad_import_file(tmp_path, 60)
    zh = invoke("--store", store, "--lang", "zh", "import", path)
    assert zh.exit_code == 3, zh.output
    assert "63 行中有 64 处错误，其中 14 处未列出；没有导入任何内容。" in zh.output
    en = invoke("--store", store, "--lang", "en", "import", path)
    assert "64 error(s) on 63 line(s), 14 of them not listed; nothing was imported." in (en.output)
    assert "(and" not in en.output


def test_a_rejected_sheets_copy_is_named_in_the_clerks_language(store: str, tmp_path: Any) -> None:
    sheet = tmp_path / "areas.csv"
    sheet.write_text(
        "code,name,parent_code,kind\n220000,吉林省,,province\n22010X,长春市,220000,prefecture\n",
        encoding="utf-8",
    )
    zh = invoke("--store", store, "--lang", "zh", "area", "import", str(sheet))
    assert zh.exit_code == 3, zh.output
    assert "1 行有误，没有记录任何内容 — " in zh.output
    assert "带“错误说明”列的表格副本：" in zh.output and "错误说明.csv" in zh.output
    assert "the sheet with" not in zh.output and "bad row(s)" not in zh.output
    en = invoke("--store", store, "--lang", "en", "area", "import", str(sheet))
    assert "1 bad row(s), nothing was recorded — " in en.output
    assert " — the sheet with a 错误说明 column: " in en.output


def test_a_file_that_is_not_json_names_the_parsers_reason_in_chinese(
    store: str, tmp_path: Any
) -> None:
    calendar = tmp_path / "cal.json"
    calendar.write_text('{"year": 2031,\n  bad}', encoding="utf-8")
    zh = invoke("--store", store, "--lang", "zh", "calendar", "add", str(calendar))
    assert zh.exit_code == 3, zh.output
    assert "cal.json：不是 JSON（第 2 行第 3 列：此处应为用双引号括起的属性名）" in zh.output
    en = invoke("--store", store, "--lang", "en", "calendar", "add", str(calendar))
    assert "not JSON (Expecting property name enclosed in double quotes at line 2, column 3)" in (
        en.output
    )
    batch = tmp_path / "assign.jsonl"
    batch.write_text('{"suggestion": "1", "lead_unit": "省交通运输厅"}\n{oops\n', encoding="utf-8")
    zh = invoke(
        "--store", store, "--lang", "zh", "suggestion", "assign-batch", "--file", str(batch)
    )
    assert zh.exit_code == 3, zh.output
    assert "第 2 行：不是 JSON（此处应为用双引号括起的属性名）" in zh.output
    en = invoke(
        "--store", store, "--lang", "en", "suggestion", "assign-batch", "--file", str(batch)
    )
    assert "line 2: not JSON (Expecting property name enclosed in double quotes)" in en.output


def test_a_bad_holiday_entry_names_its_own_field(store: str, tmp_path: Any) -> None:
    """Each entry of ``holidays`` is a span or a day: an error names the entry's field,
    not pydantic's trial of each member of a union."""
    calendar = tmp_path / "cal.json"
    holidays = ["2031-13-01", {"from": "2031-01-02"}, {"name": "元旦", "date": "2031-1-1"}]
    calendar.write_text(json.dumps({"year": 2031, "source": "x", "holidays": holidays}))
    en = invoke("--store", store, "--lang", "en", "calendar", "add", str(calendar))
    assert en.exit_code == 3, en.output
    assert "holidays.0.day: Input should be a valid date" in en.output
    assert "holidays.1.span: Value error, give either date, or from and to" in en.output
    assert "holidays.2.span.date: Input should be a valid date" in en.output
    assert "function-after" not in en.output and "HolidaySpan" not in en.output
    zh = invoke("--store", store, "--lang", "zh", "calendar", "add", str(calendar))
    assert "holidays.1.span：取值错误，请给出 date，或者 from 和 to" in zh.output


def test_what_a_guard_refuses_is_a_catalogued_phrase(store: str) -> None:
    """``cannot {what}: …`` and ``date … is before {what}`` show the phrase in Chinese
    (msgctxt ``phrase``), not the code's English inside a Chinese sentence."""
    editor = ["--store", store, "--role", "editor"]
    opened = invoke(
        *editor, "bulletin", "open", "--year", "2026", "--number", "1", "--title", "测试"
    )
    assert opened.exit_code == 0, opened.output
    issue = opened.output.strip()
    item = ["--kind", "text", "--title", "稿", "--summary", "摘要"]
    early = invoke(
        *editor, "--lang", "zh", "bulletin", "include", issue, *item, "--date", "2000-01-01"
    )
    assert early.exit_code != 0
    assert "日期 2000-01-01 早于本期开刊之日（" in early.output, early.output
    assert invoke(*editor, "bulletin", "include", issue, *item).exit_code == 0
    assert invoke(*editor, "bulletin", "publish", issue, "--to", "省委").exit_code == 0
    zh = invoke(*editor, "--lang", "zh", "bulletin", "include", issue, *item)
    assert "错误：不能编入稿件：本期已于 " in zh.output, zh.output
    assert "include an item" not in zh.output
    en = invoke(*editor, "--lang", "en", "bulletin", "include", issue, *item)
    assert "cannot include an item: the issue was published on " in en.output


def test_the_phrases_passed_to_a_guard_are_extracted(tmp_path: Any) -> None:
    """A literal passed to a parameter annotated ``RefusalPhrase`` is catalogued under
    ``phrase``: in the guard's own module by its own signature, elsewhere by any
    guard's of that name (a method's position counted without ``self``)."""
    import textwrap

    from renda_core import i18n_extract

    domain = tmp_path / "domain" / "frob.py"
    domain.parent.mkdir()
    domain.write_text(
        textwrap.dedent(
            """
            class Frob:
                def _check_open(self, what: RefusalPhrase) -> None: ...
                @staticmethod
                def _check_on(on, earliest, what: RefusalPhrase) -> None: ...
                def polish(self, on):
                    self._check_open("polish the frob")
                    self._check_on(on, self.made_on, what="the frob was made")
            """
        ),
        encoding="utf-8",
    )
    app = tmp_path / "application" / "frobs.py"
    app.parent.mkdir()
    app.write_text(
        'def polish(frob, on):\n    frob._check_open("wax the frob")\n'
        '    frob.other("no phrase")\n',
        encoding="utf-8",
    )
    found = {key for key, _ in i18n_extract.phrase_messages([domain, app])}
    assert found == {
        ("phrase", "polish the frob"),
        ("phrase", "the frob was made"),
        ("phrase", "wax the frob"),
    }


def test_a_phrase_with_values_is_translated_with_its_values_kept(store: str) -> None:
    """A guard's phrase built with an f-string (``f"item {item} was included"``) is
    catalogued as a template and shown translated, its values put back verbatim."""
    editor = ["--store", store, "--role", "editor"]
    number = ["--year", "2026", "--number", "1", "--title", "测试", "--date", "2026-02-01"]
    opened = invoke(*editor, "bulletin", "open", *number)
    assert opened.exit_code == 0, opened.output
    issue = opened.output.strip()
    item = ["--kind", "text", "--title", "稿", "--summary", "摘要", "--date", "2026-03-02"]
    assert invoke(*editor, "bulletin", "include", issue, *item).exit_code == 0
    remove = ["bulletin", "remove", issue, "--item", "1", "--reason", "重复", "--date"]
    zh = invoke(*editor, "--lang", "zh", *remove, "2026-03-01")
    assert zh.exit_code != 0
    assert "日期 2026-03-01 早于第 1 条编入之日（2026-03-02）" in zh.output, zh.output
    assert "was included" not in zh.output
    en = invoke(*editor, "--lang", "en", *remove, "2026-03-01")
    assert "date 2026-03-01 is before item 1 was included (2026-03-02)" in en.output, en.output


def test_a_phrase_built_with_an_f_string_is_extracted_as_a_template(tmp_path: Any) -> None:
    """The extractor reads an f-string phrase as a template, and names a phrase it
    cannot catalogue (a concatenation, a call); the package has none."""
    from renda_core import i18n_extract

    module = tmp_path / "domain" / "club.py"
    module.parent.mkdir()
    module.write_text(
        "class Club:\n"
        "    def _check(self, what: RefusalPhrase) -> None: ...\n"
        "    def join(self, member, label):\n"
        '        self._check(f"join {self.name}")\n'
        '        self._check("welcome " + member)\n'
        "        self._check(label.strip())\n"
        "        self._check(label)\n",
        encoding="utf-8",
    )
    found = {key for key, _ in i18n_extract.phrase_messages([module])}
    assert found == {("phrase", "join {name}")}
    built = i18n_extract.built_phrases([module])
    assert [b.split(": ", 1)[1] for b in built] == ["'welcome ' + member", "label.strip()"]
    assert i18n_extract.built_phrases(list(i18n_extract.package_files())) == []


def test_a_value_cut_short_is_marked_in_the_clerks_language(store: str) -> None:
    """An input too long to show whole is cut after its head, and the mark saying how
    long it was is in the active language (text and ``--json``); English keeps its own."""
    long = "x" * 10240
    zh = invoke("--store", store, "--role", "staff", "--lang", "zh", "deputy", "show", long)
    assert zh.exit_code == 3
    assert f"'{'x' * 60}…（共 10240 个字符）'" in zh.output, zh.output
    assert "characters" not in zh.output
    as_json = invoke(
        "--store", store, "--role", "staff", "--lang", "zh", "deputy", "show", long, "--json"
    )
    error = json.loads(as_json.stderr)
    assert "…（共 10240 个字符）" in error["message"], error
    en = invoke("--store", store, "--role", "staff", "--lang", "en", "deputy", "show", long)
    assert f"'{'x' * 60}…(10240 characters)'" in en.output, en.output


def test_a_rejected_sheets_summary_counts_rows_and_speaks_chinese(
    store: str, tmp_path: Any
) -> None:
    """The one-line summary of a rejected division sheet names its rows, not its errors,
    as bad rows, and shows each error it lists in the clerk's language."""
    sheet = tmp_path / "areas.csv"
    sheet.write_text(
        "code,name,parent_code,kind\n220000,吉林省,,province\n"
        "22010X,长春市,99,nonsense\n220200,吉林市,220000,prefecture\n",
        encoding="utf-8",
    )
    zh = invoke("--store", store, "--lang", "zh", "area", "import", str(sheet))
    assert zh.exit_code == 3, zh.output
    assert (
        "1 行有误（共 3 处），没有记录任何内容 — 第 3 行 区划代码："
        "应为 6、9 或 12 位数字的行政区划代码" in zh.output
    )
    assert "第 3 行 类型：应为以下之一：" in zh.output
    assert "String should" not in zh.output and "line 3" not in zh.output
    en = invoke("--store", store, "--lang", "en", "area", "import", str(sheet))
    assert "3 error(s) in 1 bad row(s), nothing was recorded — line 3.code: " in en.output


def test_clicks_joined_messages_take_chinese_punctuation(store: str) -> None:
    """click appends an ASCII full stop to a missing argument and joins a suggestion
    with spaces; under Chinese they read 「缺少参数 '建议ID'。」 and 「…的选项。你是不是想用…」,
    under English as click writes them."""
    from renda_core.cli.i18n import cjk_punctuation

    missing = invoke("--store", store, "--lang", "zh", "suggestion", "submit")
    assert missing.exit_code == 2
    assert "错误：缺少参数 '建议ID'。" in missing.output and "'建议ID'." not in missing.output
    unknown = invoke("--store", store, "--lang", "zh", "station", "establish", "--area", "1")
    assert "的选项。你是不是想用" in unknown.output
    english = invoke("--store", store, "--lang", "en", "suggestion", "submit")
    assert "Error: Missing argument 'SUGGESTION_ID'." in english.output
    assert cjk_punctuation("value 1.5 is fine.") == "value 1.5 is fine."
    assert cjk_punctuation("日期 2026-01-01.") == "日期 2026-01-01."  # after a digit: kept
    assert cjk_punctuation("参数 '建议ID'. 其后") == "参数 '建议ID'。其后"


def test_a_division_of_the_wrong_kind_is_named_by_its_own_kind(store: str, tmp_path: Any) -> None:
    """A station refused in a county names the division's kind as divisions are labelled
    (县级), not by the context-free term, which a level's 县 makes ambiguous."""
    sheet = tmp_path / "areas.csv"
    sheet.write_text(
        "区划代码,名称,上级代码,类型\n440000,广东省,,province\n440100,广州市,440000,prefecture\n"
        "440106,天河区,440100,county\n",
        encoding="utf-8",
    )
    assert invoke("--store", store, "area", "import", str(sheet)).exit_code == 0
    args = ["station", "establish", "--name", "天河区代表之家", "--kind", "home"]
    zh = invoke("--store", store, "--lang", "zh", *args, "--division", "440106")
    assert zh.exit_code == 5, zh.output
    assert "代表家站须设在乡镇或街道；440106（天河区）是县级行政区划" in zh.output
    assert "county" not in zh.output
    en = invoke("--store", store, "--lang", "en", *args, "--division", "440106")
    assert "440106 (天河区) is a county" in en.output
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(
        "code,name,parent_code,kind\n449900,测试县,,county\n449901,测试镇,449900,township\n"
        "449902,测试镇二,449901,township\n",
        encoding="utf-8",
    )
    refused = invoke("--store", store, "--lang", "zh", "area", "import", str(wrong))
    assert refused.exit_code == 3, refused.output
    assert "第 2 行：县级行政区划 449900 须有上级行政区划" in refused.output
    assert "第 4 行：乡镇行政区划不能是乡镇行政区划 449902 的上级" in refused.output
    assert "county" not in refused.output and "township" not in refused.output


def _record_labels() -> set[str]:
    """Every label the code names a record by: the literal ``label`` of its ``_load``,
    ``_change`` and ``to_uuid`` calls (``self._load(Deputy, id, "deputy")``)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    labels: set[str] = set()
    for path in [*(root / "src").rglob("*.py"), *(root / "adapters").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name not in {"_load", "_change", "to_uuid"}:
                continue
            for arg in node.args[1:]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    labels.add(arg.value)
    return labels


def test_every_kind_of_record_an_id_names_is_a_chinese_noun() -> None:
    """「没有 id 为 … 的常委会机构」, never 「…的body」: every label a record is loaded by
    is catalogued as a noun and translated (a new kind of record without its noun
    fails here)."""
    from renda_core.cli.i18n import NOUNS, translate_template

    labels = _record_labels()
    assert {"deputy", "aggregate", "body", "member", "term", "token"} <= labels
    assert labels <= set(NOUNS), labels - set(NOUNS)
    with i18n.use("zh_CN"):
        for label in sorted(labels):
            shown = translate_template(
                f"no {label} with id 1b4e28ba-2fa1-11d2-883f-0016d3cca427", ()
            )
            assert shown.startswith("没有 id 为 ") and not re.search(r"[a-z]+$", shown), shown
            malformed = translate_template(f"'zz' is not a valid {label} id", ())
            assert re.fullmatch(r"'zz' 不是有效的\S+ id", malformed) and CJK.search(malformed)
            assert CJK.search(translate_template(f"no {label} id given", ())), label


def test_an_empty_or_malformed_id_is_refused_in_the_clerks_language(store: str) -> None:
    """An empty id reads 「未给出记录 id」 (it used to stay English: the message's pattern
    needs a value), a malformed one names the kind of record in Chinese; both exit 3."""
    cases = {
        ("events", "list", "--aggregate", "zz"): (
            "'zz' 不是有效的记录 id",
            "'zz' is not a valid aggregate id",
        ),
        ("events", "list", "--aggregate", ""): ("未给出记录 id", "no aggregate id given"),
        ("group", "show", " "): ("未给出代表小组 id", "no deputy group id given"),
        ("body", "show", "zz"): ("'zz' 不是有效的常委会机构 id", "'zz' is not a valid body id"),
    }
    for args, (zh_text, en_text) in cases.items():
        zh = invoke("--store", store, "--lang", "zh", *args)
        assert zh.exit_code == 3, (args, zh.output)
        assert zh_text in zh.output, zh.output
        en = invoke("--store", store, "--lang", "en", *args)
        assert en.exit_code == 3 and en_text in en.output, en.output


def test_an_unknown_committee_member_is_named_in_chinese(store: str) -> None:
    uid = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    zh = invoke("--store", store, "--lang", "zh", "member", "show", uid)
    assert zh.exit_code == 4, zh.output
    assert f"没有 id 为 {uid} 的常委会组成人员" in zh.output


def test_a_division_sheets_rows_and_columns_are_named_in_chinese(store: str, tmp_path: Any) -> None:
    """「表头行不符：第 1 行：…」 (was 「row 1：…」), 「第 3 行 类型：…」 (was 「第 3 行.kind：…」);
    English keeps ``row 1`` and ``line 3.kind``; an English header names the Chinese one."""
    no_code = tmp_path / "no-code.csv"
    no_code.write_text("统计用代码,名称\n220000,吉林省\n", encoding="utf-8")
    zh = invoke("--store", store, "--lang", "zh", "area", "import", str(no_code))
    assert zh.exit_code == 3, zh.output
    assert "表头行不符：第 1 行：缺少列 区划代码（code）" in zh.output
    assert "row" not in zh.output
    en = invoke("--store", store, "--lang", "en", "area", "import", str(no_code))
    assert "the header row does not fit: row 1: missing column 区划代码 (code)" in en.output
    bad_kind = tmp_path / "kind.csv"
    bad_kind.write_text("代码,名称,类型\n220000,吉林省,省级\n220100,长春市,市\n", encoding="utf-8")
    zh = invoke("--store", store, "--lang", "zh", "area", "import", str(bad_kind))
    assert zh.exit_code == 3, zh.output
    assert "第 3 行 类型：应为以下之一：省级、地级、县级、乡镇、街道" in zh.output
    assert ".kind" not in zh.output
    copy = (tmp_path / "kind-错误说明.csv").read_text(encoding="utf-8-sig")
    assert "C3（类型）：应为以下之一：省级、地级、县级、乡镇、街道" in copy
    en = invoke("--store", store, "--lang", "en", "area", "import", str(bad_kind))
    assert "line 3.kind: " in en.output
    english = tmp_path / "english.csv"
    english.write_text("foo,bar\n1,2\n", encoding="utf-8")
    zh = invoke("--store", store, "--lang", "zh", "area", "import", str(english))
    assert zh.exit_code == 3, zh.output
    assert "表头缺少列 code, name（应有 code, name，或 区划代码、名称；" in zh.output
    listed = invoke("--store", store, "area", "list", "--json")
    assert listed.exit_code == 0 and json.loads(listed.output) == [], listed.output
