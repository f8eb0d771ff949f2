"""Spreadsheet files people make and open: reading CSV and XLSX as Excel and LibreOffice write
them, writing them so that they open right, and guarding text cells against formulas."""

import csv
import io
import re

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"


class ImportRefused(Exception):
    """The file was not imported; ``errors`` lists (line, message), line None for the whole file."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


# Formulas --------------------------------------------------------------------------------------

# A text cell starting with one of these is a formula to Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # as openpyxl's ILLEGAL_CHARACTERS_RE


def safe_text(text):
    """A text cell a spreadsheet won't run as a formula: '=HYPERLINK(…)' becomes "'=HYPERLINK(…)"."""
    text = str(text or "")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def xlsx_value(value):
    """A cell value an XLSX file can hold: text guarded as safe_text does, without the control
    characters XML forbids (Word's manual line break, pasted into a name, is one); others as given."""
    if not isinstance(value, str):
        return value
    return safe_text(XML_ILLEGAL.sub(" ", value))


def unguarded(cell):
    """A text cell without the apostrophe our templates and exports put before "=", "-"…"""
    if isinstance(cell, str) and cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


# Reading ---------------------------------------------------------------------------------------


BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode(data):
    """UTF-8 (with or without BOM) when it decodes, else Windows-1252, as Excel writes in Canada.

    A file whose byte order mark names its encoding (UTF-8, or the UTF-16 of Excel's "Unicode
    text") is held to it: a byte that breaks it is refused with its line, not guessed at.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                before = data[len(bom) : len(bom) + error.start].decode(encoding, errors="replace")
                line = before.count("\n") + 1
                raise ImportRefused(
                    [
                        (
                            line,
                            _(
                                "This line is not valid %(encoding)s text, as the start of the file "
                                "says it is: save the file again as CSV UTF-8."
                            )
                            % {"encoding": encoding.upper().removesuffix("-LE").removesuffix("-BE")},
                        )
                    ]
                ) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(data):
    """Return ([(line number, [cells])], decimal comma?): True for a semicolon file (French Excel),
    False for a comma file, None where nothing tells (tab-separated text)."""
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    # Commas, or semicolons as French Excel writes them; tabs in Excel's "Unicode text".
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, row) for row in reader], {";": True, ",": False}.get(delimiter)
    except csv.Error as error:
        raise ImportRefused(
            [(reader.line_num, _("This line cannot be read: %(error)s") % {"error": error})]
        ) from error


def read_rows(data, filename="", *, sheet=None):
    """Return ([(line number, [cells])], decimal comma?) of a CSV or XLSX file (see read_csv);
    for an XLSX file, of its sheet named ``sheet`` if it has one, else of its first."""
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return read_xlsx(data, sheet=sheet), None
    return read_csv(data)


def read_xlsx(data, *, sheet=None):
    from openpyxl import load_workbook

    rows = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ImportRefused([(None, _("This is not a readable XLSX file."))]) from error
    try:
        # The sheet is read row by row as it is parsed: a damaged cell breaks only here.
        chosen = workbook[sheet] if sheet in workbook.sheetnames else workbook.worksheets[0]
        for number, row in enumerate(chosen.iter_rows(values_only=True), start=1):
            rows.append((number, list(row)))
    except Exception as error:  # a cell that is not what its type says, a broken sheet
        raise ImportRefused(
            [(len(rows) + 1, _("This row of the XLSX file is damaged and cannot be read."))]
        ) from error
    finally:
        workbook.close()
    return rows


# Writing ---------------------------------------------------------------------------------------


def csv_bytes(header, rows, *, semicolons=False):
    """CSV in UTF-8 with a BOM, so Excel opens accents right; semicolons for French Excel."""
    return b"".join(csv_chunks(header, rows, semicolons=semicolons))


def csv_chunks(header, rows, *, semicolons=False, rows_per_chunk=1000):
    """The bytes of ``csv_bytes``, a thousand rows at a time, for files too big to build at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if semicolons else ",", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_bytes(header, rows, *, sheet_title="values"):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([xlsx_value(cell) for cell in row])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        width = max([len(str(name))] + [len(str(row[index - 1])) for row in rows[:200]]) + 2
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(width, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_stream_bytes(header, rows, *, widths, sheet_title="values"):
    """An XLSX file of any number of rows in constant memory (openpyxl's write-only mode).

    ``rows`` may be a generator; ``widths`` gives each column's width up front, as rows are
    written as they come and can't be measured afterwards.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    titles = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in rows:
        sheet.append([xlsx_value(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
