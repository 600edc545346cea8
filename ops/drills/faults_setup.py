"""Run by ops/drills/faults.py inside `manage.py shell` (development settings, on the drill's private database):
the data the drills need beyond the demo — draft WRSE proposals of this year for two regencies, a filled workbook
for each, and an attendance to replay from phones — printed as JSON for the orchestrator."""

import datetime
import io
import json
import os

from openpyxl import Workbook

from beneficiaries.identity import make_nik
from programs.selectors import budget_year_current
from proposals.services import proposal_open
from proposals.workbook.columns import COLUMNS
from regions.models import Regency, Village
from training.models import Attendance

work = os.environ["DRILL_WORK"]
rows = {name: int(value) for name, value in json.loads(os.environ["DRILL_ROWS"]).items()}


def workbook(regency, count: int, first: int) -> bytes:
    """A filled WRSE template of `count` new women of `regency` (valid NIKs of its first district)."""
    village = Village.objects.filter(district__regency=regency).select_related("district").order_by("code").first()
    region = village.district.code.replace(".", "")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append([column.header for column in COLUMNS["WRSE"]])
    for n in range(first, first + count):
        born = datetime.date(1970, 1, 1) + datetime.timedelta(days=(n * 7) % 12000)
        nik = make_nik(region, born, "P", 1 + n // 1500)
        sheet.append([nik, f"{region}9{n:09d}", f"Peserta Latihan {n}", "Kota", born, "Cerai Mati", f"Jl. Latihan {n}",
                      "1", "2", village.district.name, village.name, "081200000000", "Kue dan Roti", f"DTSEN{n}",
                      1 + n % 4, ""])  # fmt: skip
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


budget_year = budget_year_current()
answer = {"proposals": {}}
first = 0
for name, code in (("killed", "64.71"), ("restart", "64.02"), ("broker", "64.03"), ("small", "64.08")):
    regency = Regency.objects.get(code=code)
    proposal = proposal_open(regency=regency, budget_year=budget_year, program="WRSE", actor=None)
    path = os.path.join(work, f"usulan-{name}.xlsx")
    with open(path, "wb") as handle:
        handle.write(workbook(regency, rows[name], first))
    first += rows[name]
    answer["proposals"][name] = {"pk": proposal.pk, "file": path, "rows": rows[name]}
attendance = Attendance.objects.select_related("session").order_by("-session__start_date", "pk").first()
answer["attendance"] = attendance.pk
print(json.dumps(answer))
