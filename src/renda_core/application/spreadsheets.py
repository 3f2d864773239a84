"""Spreadsheets in and out: what a deputy-affairs office keeps in Excel or WPS.

In: a .xlsx workbook (its first sheet) or a CSV file in UTF-8 (with or without BOM),
GBK or GB18030 — the encoding is detected. The header row may be in Chinese or in
English (:data:`DEPUTY_COLUMNS`, :data:`DIVISION_COLUMNS`). Every row is checked before
anything is written; a rejected file can be written back with an added ``错误说明``
column naming each bad cell (:func:`error_workbook`).

Out: rows of a report or a list as a formatted .xlsx (Chinese headers, column widths,
frozen header, number formats, one sheet per section) or as CSV with a BOM, which
Excel opens without garbling Chinese.

openpyxl (a dependency) reads and writes .xlsx; without it CSV still works.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from renda_core.domain.errors import InvalidInput

XLSX_MAGIC = b"PK\x03\x04"
ERROR_COLUMN = "错误说明"
OPENPYXL_MISSING = ".xlsx files need the openpyxl package: pip install openpyxl (or use CSV)"


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the dev extra installs it
        raise InvalidInput(
            OPENPYXL_MISSING, [{"field": "file", "message": "openpyxl missing"}]
        ) from None
    return openpyxl


# ---------------------------------------------------------------- columns


#: the ways an office writes a date in a cell: 2023-01-16, 2023/1/16 (what Excel or WPS
#: saves in a CSV under Chinese settings), 2023.1.16, 2023年1月16日
_DATE_CELL = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s+0{1,2}:00(?::00)?)?$"  # a date cell saved with its midnight
)
#: a term as written: 14, 第14届, 十四, 第十四届, 14届
_TERM_CELL = re.compile(r"^第?\s*([0-9]+|[〇零一二两三四五六七八九十]+)\s*届?$")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def _halfwidth(text: str) -> str:
    """Full-width digits, letters and marks (２２０１０２, ／) as ASCII (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def date_cell(text: str) -> str:
    """A date cell as YYYY-MM-DD when it is a date written one of the ways an office
    writes it (:data:`_DATE_CELL`); else as it is, for the check to name it."""
    found = _DATE_CELL.match(_halfwidth(text).strip())
    if found is None:
        return text
    year, month, day = (int(g) for g in found.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def chinese_number(text: str) -> int | None:
    """A number from 0 to 99 in Chinese numerals (十四, 二十, 十, 一〇), or ``None``."""
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        if len(text) > 2:
            return None
        value = 0
        for c in text:
            value = value * 10 + _CN_DIGITS[c]
        return value
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def term_cell(text: str) -> str:
    """A term cell (届次) as its number when written 第十四届, 十四, 14届 or １４; else
    as it is."""
    found = _TERM_CELL.match(_halfwidth(text).strip())
    if found is None:
        return text
    digits = found.group(1)
    number = int(digits) if digits.isascii() else chinese_number(digits)
    return text if number is None else str(number)


def code_cell(text: str) -> str:
    """A division code cell without the spaces and full-width digits an office's sheet
    may carry (２２０１０２, ``220102 ``); else as it is."""
    compact = "".join(_halfwidth(text).split())
    return compact if compact.isascii() and compact.isdigit() else text


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its field, its Chinese header and accepted spellings, and
    how a cell is read (``read``: the ways an office writes the value, as the value)."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    read: Callable[[str], str] | None = None

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.key, self.zh, self.en, *self.aliases)}


DEPUTY_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", "name", ("代表姓名",), required=True),
    Column("level", "层级", "level", ("级别", "代表层级"), required=True),
    Column("term", "届次", "term", ("届",), required=True, read=term_cell),
    Column("electoral_unit", "选举单位", "electoral unit", ("electoral_unit",), required=True),
    Column(
        "area",
        "行政区划代码",
        "area",
        ("区划代码", "地区代码", "area code"),
        required=True,
        read=code_cell,
    ),
    Column(
        "date", "任职日期", "date", ("起始日期", "mandate began"), required=True, read=date_cell
    ),
    Column("gender", "性别", "gender"),
    Column("ethnicity", "民族", "ethnicity"),
    Column("category", "代表构成类别", "category", ("构成类别", "类别")),
    Column("phone", "联系电话", "phone", ("电话", "手机")),
)

DIVISION_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "区划代码",
        "code",
        ("代码", "行政区划代码", "统计用区划代码"),  # the last: the statistics bureau's list
        required=True,
        read=code_cell,
    ),
    Column("name", "名称", "name", ("区划名称", "单位名称"), required=True),
    # a list of codes and names (民政部's 县以上行政区划代码) is enough: the parent and
    # the kind are told by the code when left out (domain.division.parent_codes)
    Column(
        "parent_code",
        "上级代码",
        "parent code",
        ("上级区划代码", "parent_code"),
        read=code_cell,
    ),
    Column("kind", "类型", "kind", ("层级", "级别")),
)


def _norm(name: str) -> str:
    return name.strip().lower().replace("_", " ").replace("\ufeff", "")


# ---------------------------------------------------------------- reading


@dataclass
class Sheet:
    """A sheet as read: the header, then each data row with its row number (the
    header is row 1, as Excel shows it)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    kind: str  # "xlsx" or "csv"
    encoding: str = "utf-8"
    header_row: int = 1  # below a title: the row the header was found on


def decode(raw: bytes) -> tuple[str, str]:
    """A CSV file's text and the encoding found: UTF-8 (a BOM allowed), else GB18030
    (which includes GBK and GB2312), else invalid input."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            f"line {line}: neither UTF-8 nor GBK/GB18030 text; save the sheet as CSV "
            "(UTF-8) or as .xlsx",
            [{"field": f"line {line}", "message": "unknown encoding"}],
        ) from None


def cell_text(value: Any) -> str:
    """A cell's value as the text a clerk sees: dates as YYYY-MM-DD, whole numbers
    without ``.0``, nothing as an empty string."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(raw: bytes) -> Sheet:
    """The first sheet of a .xlsx workbook, or a CSV file in any of the encodings."""
    if raw.startswith(XLSX_MAGIC):
        openpyxl = _openpyxl()
        try:
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # a damaged workbook: zipfile, XML or openpyxl errors
            raise InvalidInput(
                f"the workbook cannot be read: {exc}",
                [{"field": "file", "message": "not a readable .xlsx"}],
            ) from None
        ws = book.worksheets[0]
        values = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        book.close()
        kind, encoding = "xlsx", "xlsx"
        numbered = list(enumerate(values, start=1))
    else:
        text, encoding = decode(raw)
        reader = csv.reader(io.StringIO(text, newline=""))
        numbered = []
        for row in reader:
            numbered.append((reader.line_num, [v.strip() for v in row]))
        kind = "csv"
    numbered = [(n, r) for n, r in numbered if any(v for v in r)]
    if not numbered:
        raise InvalidInput("the file is empty", [{"field": "file", "message": "no header"}])
    (_, header), *rows = numbered
    while header and not header[-1]:
        header.pop()
    return Sheet(header, rows, kind, encoding)


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Mapped:
    """A sheet's rows as field dicts, and the cell of each field for error reports."""

    sheet: Sheet
    positions: dict[str, int]  # field -> column index
    records: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def cell(self, key: str, row: int) -> str:
        """The cell reference (``C4``) of a field in a row."""
        index = self.positions.get(key)
        return f"{column_letter(index)}{row}" if index is not None else f"row {row}"

    def header(self, key: str) -> str:
        index = self.positions.get(key)
        return self.sheet.header[index] if index is not None else key


#: how many rows a sheet may have above its header: a title (吉林省第十四届人民代表大会代表名册),
#: and a statistical form's block (表号, 制定机关, 批准文号, 填报单位, 填报日期, blank rows,
#: a row of merged group headings). The header is the first row with every required
#: column's name, which no title or data row has.
TITLE_ROWS = 20


def map_columns(sheet: Sheet, columns: Sequence[Column]) -> Mapped:
    """Match the header to ``columns`` (Chinese or English names); a missing required
    column, or one given twice, is invalid input naming it. Other columns are ignored.
    When the first row is a title, the header is the first of the next rows that has
    every required column (:data:`TITLE_ROWS`); rows keep their numbers."""
    required = [c for c in columns if c.required]
    if not _fits(sheet.header, required):
        for index, (number, values) in enumerate(sheet.rows[:TITLE_ROWS]):
            if _fits(values, required):
                header = list(values)
                while header and not header[-1]:
                    header.pop()
                sheet = Sheet(header, sheet.rows[index + 1 :], sheet.kind, sheet.encoding)
                sheet.header_row = number
                break
    positions: dict[str, int] = {}
    errors: list[dict[str, str]] = []
    for index, name in enumerate(sheet.header):
        if not name.strip() or _norm(name) == _norm(ERROR_COLUMN):
            continue
        found = next((c for c in columns if _norm(name) in c.names()), None)
        if found is None:
            continue  # a column of the office's own (序号, 备注…): ignored, and listed
        if found.key in positions:
            errors.append(
                {
                    "field": f"{column_letter(index)}{sheet.header_row}",
                    "message": f"column {name!r} twice",
                }
            )
        else:
            positions[found.key] = index
    for c in columns:
        if c.required and c.key not in positions:
            errors.append(
                {"field": f"row {sheet.header_row}", "message": f"missing column {c.zh} ({c.en})"}
            )
    if errors:
        raise InvalidInput(
            f"the header row does not fit: {errors[0]['field']}: {errors[0]['message']}; "
            "nothing was imported",
            errors,
        )
    mapped = Mapped(sheet, positions)
    readers = {c.key: c.read for c in columns if c.read is not None}
    for number, values in sheet.rows:
        record = {
            key: values[index] if index < len(values) else "" for key, index in positions.items()
        }
        for key, read in readers.items():
            if record.get(key):
                record[key] = read(record[key])
        mapped.records.append((number, {k: v for k, v in record.items() if v != ""}))
    return mapped


def _fits(header: Sequence[str], required: Sequence[Column]) -> bool:
    """Whether ``header`` names every one of the ``required`` columns."""
    names = {_norm(h) for h in header if h.strip()}
    return all(names & c.names() for c in required)


def row_key(*parts: Any) -> str:
    """A stable short digest of a row's identifying values (for command ids)."""
    text = json.dumps([str(p) for p in parts], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


# ---------------------------------------------------------------- error workbook


def error_notes(errors: Iterable[dict[str, str]]) -> dict[int, list[str]]:
    """Error items (``{"field": "C4 (层级)", "message": ...}``, or ``row 4``) grouped
    by the row they name: each as its ``note`` (the field and message in the reader's
    language, given by the driver) or ``field: message``."""
    notes: dict[int, list[str]] = {}
    for item in errors:
        where = item["field"]
        digits = "".join(ch for ch in where.split(" ")[0] if ch.isdigit())
        if where.startswith("row "):
            digits = where.split(" ")[1].rstrip(":")
        row = int(digits) if digits else 1
        notes.setdefault(row, []).append(item.get("note") or f"{where}: {item['message']}")
    return notes


def error_workbook(sheet: Sheet, errors: Iterable[dict[str, str]]) -> bytes:
    """The rejected sheet again, with an added ``错误说明`` column naming each bad cell
    of each row (header problems on the header row), as .xlsx."""
    notes = error_notes(errors)
    width = _width(sheet)
    rows = [(1, sheet.header), *sheet.rows]
    table = []
    for number, values in rows:
        padded = [*values, *[""] * (width - len(values))]
        note = ERROR_COLUMN if number == 1 else "；".join(notes.get(number, []))
        if number == 1 and notes.get(1):
            note = f"{ERROR_COLUMN}: " + "；".join(notes[1])
        table.append([*padded, note])
    return workbook_bytes([Section("导入错误", table[0], table[1:])])


def error_csv(sheet: Sheet, errors: Iterable[dict[str, str]]) -> bytes:
    """As :func:`error_workbook`, for a CSV sheet: CSV with a BOM."""
    notes = error_notes(errors)
    width = _width(sheet)
    header = [*sheet.header, *[""] * (width - len(sheet.header)), ERROR_COLUMN]
    if notes.get(1):
        header[-1] = f"{ERROR_COLUMN}: " + "；".join(notes[1])
    rows = [
        [*values, *[""] * (width - len(values)), "；".join(notes.get(n, []))]
        for n, values in sheet.rows
    ]
    return csv_bytes(header, rows)


def _width(sheet: Sheet) -> int:
    """The columns of a sheet's widest row (a title above the header is one cell)."""
    return max([len(sheet.header), *(len(values) for _, values in sheet.rows)])


# ---------------------------------------------------------------- writing


@dataclass
class Section:
    """One sheet of an export: title, header row and the rows."""

    title: str
    header: list[str]
    rows: list[list[Any]]


def workbook_bytes(sections: Sequence[Section]) -> bytes:
    """A formatted .xlsx: one sheet per section, bold frozen header, column widths
    fitted to the text (Chinese counts double), whole numbers and ratios formatted."""
    openpyxl = _openpyxl()
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for section in sections:
        title = _sheet_title(section.title, used)
        ws = book.create_sheet(title)
        ws.append(section.header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in section.rows:
            ws.append([_excel_value(v) for v in row])
        ws.freeze_panes = "A2"
        for index, name in enumerate(section.header):
            texts = [name, *(cell_text(r[index]) for r in section.rows if index < len(r))]
            width = max(_display_width(t) for t in texts)
            ws.column_dimensions[column_letter(index)].width = min(max(width + 2, 8), 60)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, bool):
                    continue
                if isinstance(cell.value, int):
                    cell.number_format = "#,##0"
                elif isinstance(cell.value, float):
                    cell.number_format = "0.0%" if 0 <= cell.value <= 1 else "#,##0.00"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate in used:
        candidate = f"{clean[:28]}_{n}"
        n += 1
    used.add(candidate)
    return candidate


def _excel_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | int | float | date):
        return value
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if text[:1] in ("=", "+", "-", "@") and not _is_number(text):
        return "'" + text  # never a formula from recorded text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV with a UTF-8 BOM (Excel then reads Chinese correctly), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def read_back(raw: bytes) -> list[list[str]]:
    """A sheet written by :func:`workbook_bytes` or :func:`csv_bytes` as text rows
    (header first): the form the round-trip tests compare."""
    sheet = read_sheet(raw)
    return [sheet.header, *(values for _, values in sheet.rows)]


def division_csv(raw: bytes) -> bytes | str:
    """A divisions sheet as the UTF-8 CSV with English headers that
    :func:`renda_core.application.areas.read_division_csv` reads: a .xlsx workbook, a
    GBK/GB18030 file or a Chinese header row is converted (row numbers kept as line
    numbers); a UTF-8 CSV with English headers is passed on as it is."""
    if not raw.startswith(XLSX_MAGIC):
        text, encoding = decode(raw)
        first = text.split("\n", 1)[0]
        if encoding.startswith("utf-8") and all(ord(ch) < 0x2E80 for ch in first):
            return raw
    sheet = read_sheet(raw)
    mapped = map_columns(sheet, DIVISION_COLUMNS)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in DIVISION_COLUMNS])
    line = 1
    for number, record in mapped.records:
        while line + 1 < number:  # blank lines keep the sheet's row numbers
            out.write("\n")
            line += 1
        writer.writerow([record.get(c.key, "") for c in DIVISION_COLUMNS])
        line += 1
    return out.getvalue()


def cell_errors(mapped: Mapped, errors: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """Errors that name ``line N.field`` (or ``line N``) as errors naming the cell
    (``C4 (上级代码)``) or the row, for :func:`error_workbook`."""
    out = []
    for item in errors:
        where = item["field"]
        head, _, key = where.removeprefix("line ").partition(".")
        key = key.split(":")[0].strip()
        if not where.startswith("line ") or not head.isdigit():
            out.append(item)
        elif key in mapped.positions:
            row = int(head)
            out.append({"field": f"{mapped.cell(key, row)} ({mapped.header(key)})", **_msg(item)})
        else:
            out.append({"field": f"row {head}", **_msg(item)})
    return out


def _msg(item: dict[str, str]) -> dict[str, str]:
    return {"message": item["message"]}
