"""The officer's own workbook back, with every bad cell red and a comment saying what is wrong."""

import io
from collections import defaultdict

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from proposals.workbook.reader import is_error
from proposals.workbook.template import DATA_SHEET

RED = PatternFill("solid", fgColor="FFC7CE")
YELLOW = PatternFill("solid", fgColor="FFEB9C")


def mark_problems(data: bytes, problems: list[dict]) -> bytes:
    """`data` (the uploaded xlsx) with the cells named in `problems` filled red (an error) or yellow (only
    warnings) and commented; problems without a cell (a missing column, too many rows) go into a comment on A1."""
    workbook = load_workbook(io.BytesIO(data))  # defusedxml guards the parser (openpyxl.DEFUSEDXML)
    sheet = workbook[DATA_SHEET] if DATA_SHEET in workbook.sheetnames else workbook.worksheets[0]
    by_cell: dict[str, list[str]] = defaultdict(list)
    errors: set[str] = set()
    for problem in problems:
        reference = f"{problem['column']}{problem['row']}" if problem.get("row") and problem.get("column") else "A1"
        error = is_error(problem)
        by_cell[reference].append(problem["message"] if error else f"Peringatan: {problem['message']}")
        if error:
            errors.add(reference)
    for reference, messages in by_cell.items():
        cell = sheet[reference]
        cell.fill = RED if reference in errors else YELLOW
        comment = Comment("\n".join(messages), "kubeprogram")
        comment.width, comment.height = 320, 40 + 30 * len(messages)
        cell.comment = comment
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
