import io
from datetime import date
from decimal import Decimal

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
