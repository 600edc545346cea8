"""The officer's own workbook back, with every bad cell red and a comment saying what is wrong."""

import io
from collections import defaultdict

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from proposals.workbook.template import DATA_SHEET

RED = PatternFill("solid", fgColor="FFC7CE")


def mark_problems(data: bytes, problems: list[dict]) -> bytes:
    """`data` (the uploaded xlsx) with the cells named in `problems` filled red and commented; problems
    without a cell (a missing column, too many rows) go into a comment on A1."""
    workbook = load_workbook(io.BytesIO(data))  # defusedxml guards the parser (openpyxl.DEFUSEDXML)
    sheet = workbook[DATA_SHEET] if DATA_SHEET in workbook.sheetnames else workbook.worksheets[0]
    by_cell: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        if problem.get("row") and problem.get("column"):
            by_cell[f"{problem['column']}{problem['row']}"].append(problem["message"])
        else:
            by_cell["A1"].append(problem["message"])
    for reference, messages in by_cell.items():
        cell = sheet[reference]
        cell.fill = RED
        comment = Comment("\n".join(messages), "kubeprogram")
        comment.width, comment.height = 320, 40 + 30 * len(messages)
        cell.comment = comment
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
