#!/usr/bin/env python3
"""Write the XLS and ODS fixtures of tests/it/redact_sheets.rs into fixtures/redact/sheets/.

usage: python3 -m venv /tmp/fx && /tmp/fx/bin/pip install xlwt==1.3.0 odfpy==1.4.1
       /tmp/fx/bin/python scripts/make_sheet_fixtures.py

Pure-Python writers, so the files come from a producer independent of this
project: xlwt writes BIFF8 (.xls), odfpy OpenDocument (.ods). All values are
invented. The subject of the tests is Jan de Vries (BSN 111222333, phone
06-87654321); Piet Jansen, his BSN 123456782, 06-12345678 and
piet.jansen@voorbeeld.nl are a third party. The output is deterministic
(odfpy's meta.xml gets a fixed date) so the script can be re-run without
changing the committed files needlessly.
"""
import datetime
import os
import zipfile

import xlwt
from odf import dc, meta, office, table, text
from odf.opendocument import OpenDocumentSpreadsheet

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "redact", "sheets")

HEADERS = ["Naam", "BSN", "Telefoon", "Geboortedatum", "Huur", "Actief", "Opmerking"]
ROWS = [
    ["Jan de Vries", 111222333, "06-87654321", datetime.date(1980, 4, 1), 612.5, True, "huurder"],
    ["Piet Jansen", 123456782, "06-12345678", datetime.date(1975, 6, 15), 0, False,
     "mail piet.jansen@voorbeeld.nl graag"],
    ["niets bijzonders", 42, "geen", datetime.date(2024, 1, 31), -3.25, True, "tekst zonder gegevens"],
]


def xls(path, dates_1904=False):
    wb = xlwt.Workbook(encoding="utf-8")
    wb.dates_1904 = dates_1904
    date = xlwt.easyxf(num_format_str="dd-mm-yyyy")
    ws = wb.add_sheet("Huurders")
    for c, h in enumerate(HEADERS):
        ws.write(0, c, h)
    for r, row in enumerate(ROWS, start=1):
        for c, v in enumerate(row):
            if isinstance(v, datetime.date):
                ws.write(r, c, v, date)
            else:
                ws.write(r, c, v)
    notes = wb.add_sheet("Notities")
    notes.write(9, 3, "Bel de buurman op 06-12345678 na vijven")
    notes.write(9, 4, "Afspraak om 10:30")
    notes.write(11, 0, 1466.62)
    hidden = wb.add_sheet("Verborgen")
    hidden.visibility = 1
    hidden.write(0, 0, "IBAN partner NL91ABNA0417164300")
    wb.save(path)


def ods(path):
    doc = OpenDocumentSpreadsheet()
    doc.meta.addElement(dc.Creator(text="Karel Appel"))
    doc.meta.addElement(meta.InitialCreator(text="Karel Appel"))
    doc.meta.addElement(dc.Date(text="2024-01-01T00:00:00"))

    def cell(v, annotation=None):
        if isinstance(v, bool):
            c = table.TableCell(valuetype="boolean", booleanvalue="true" if v else "false")
            shown = "TRUE" if v else "FALSE"
        elif isinstance(v, datetime.date):
            c = table.TableCell(valuetype="date", datevalue=v.isoformat())
            shown = v.strftime("%d-%m-%Y")
        elif isinstance(v, (int, float)):
            c = table.TableCell(valuetype="float", value=str(v))
            shown = str(v)
        elif isinstance(v, tuple) and v[0] == "time":
            c = table.TableCell(valuetype="time", timevalue=v[1])
            shown = "10:30:00"
        elif isinstance(v, tuple) and v[0] == "formula":
            c = table.TableCell(valuetype="float", value=str(v[2]), formula=v[1])
            shown = str(v[2])
        else:
            c = table.TableCell(valuetype="string")
            shown = v
        # The annotation comes first in a cell (as office suites write it).
        if annotation:
            a = office.Annotation()
            a.addElement(dc.Creator(text="Els Bakker"))
            a.addElement(text.P(text=annotation))
            c.addElement(a)
        c.addElement(text.P(text=shown))
        return c

    def row(values):
        r = table.TableRow()
        for v in values:
            if v is None:
                r.addElement(table.TableCell())
            elif isinstance(v, list):
                r.addElement(cell(*v))
            else:
                r.addElement(cell(v))
        return r

    t = table.Table(name="Huurders")
    t.addElement(row(HEADERS))
    t.addElement(row(ROWS[0]))
    t.addElement(row(ROWS[1][:6] + [[ROWS[1][6], "Els Bakker: bel 06-12345678"]]))
    t.addElement(row(ROWS[2]))
    t.addElement(row(["12 x huur", None, None, None, ("formula", "of:=[.E2]*12", 7350.0),
                      None, ("time", "PT10H30M00S")]))
    doc.spreadsheet.addElement(t)
    # Free sheet naming: a phone number in the name, and a name Excel would
    # not take as it is (brackets, over 31 characters).
    t = table.Table(name="Bel 06-12345678")
    for _ in range(9):
        t.addElement(table.TableRow())
    t.addElement(row([None, None, None, "Bel de buurman op 06-12345678 na vijven"]))
    doc.spreadsheet.addElement(t)
    t = table.Table(name="[Overzicht] van alle huurders in 2024")
    t.addElement(row(["kolom", 1]))
    doc.spreadsheet.addElement(t)
    doc.save(path)
    # odfpy stamps meta.xml with the time of writing: make it fixed.
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in entries:
            info.date_time = (2024, 1, 1, 0, 0, 0)
            z.writestr(info, data)


def main():
    os.makedirs(OUT, exist_ok=True)
    xls(os.path.join(OUT, "huur.xls"))
    xls(os.path.join(OUT, "huur-1904.xls"), dates_1904=True)
    ods(os.path.join(OUT, "huur.ods"))
    for n in sorted(os.listdir(OUT)):
        print(n, os.path.getsize(os.path.join(OUT, n)))


if __name__ == "__main__":
    main()
