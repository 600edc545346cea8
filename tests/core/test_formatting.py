import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from core import formatting


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (6500000000, "Rp6.500.000.000"),
        (Decimal("6500000000"), "Rp6.500.000.000"),
        (0, "Rp0"),
        (999, "Rp999"),
        (1000, "Rp1.000"),
        (Decimal("1500.5"), "Rp1.501"),
        (-25000, "-Rp25.000"),
        (None, ""),
    ],
)
def test_rupiah(value, text):
    assert formatting.rupiah(value) == text


def test_dates():
    day = datetime.date(2024, 8, 15)
    assert formatting.date_long(day) == "15 Agustus 2024"
    assert formatting.date_short(day) == "15/08/2024"
    assert formatting.date_with_day(day) == "Kamis, 15 Agustus 2024"
    assert formatting.date_long(datetime.date(2024, 1, 1)) == "1 Januari 2024"
    assert formatting.date_long(datetime.date(2024, 12, 31)) == "31 Desember 2024"


def test_time_is_shown_in_wita():
    moment = datetime.datetime(2024, 8, 15, 6, 5, tzinfo=ZoneInfo("UTC"))  # 14.05 in Samarinda
    assert formatting.time_wita(moment) == "14.05 WITA"
    assert formatting.datetime_wita(moment) == "15/08/2024 14.05 WITA"
    late = datetime.datetime(2024, 8, 15, 20, 0, tzinfo=ZoneInfo("UTC"))  # already the next day in WITA
    assert formatting.date_long(late) == "16 Agustus 2024"


def test_duration():
    assert formatting.duration(datetime.timedelta(minutes=15)) == "15 menit"
    assert formatting.duration(datetime.timedelta(minutes=90)) == "1 jam 30 menit"
    assert formatting.duration(datetime.timedelta(seconds=20)) == "kurang dari 1 menit"


def test_template_filters():
    template = Template("{% load indonesia %}{{ amount|rupiah }} · {{ day|tanggal }} · {{ day|tanggal_pendek }}")
    text = template.render(Context({"amount": 6500000000, "day": datetime.date(2024, 8, 15)}))
    assert text == "Rp6.500.000.000 · 15 Agustus 2024 · 15/08/2024"
