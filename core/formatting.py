"""Indonesian formats used on every page and in every workbook (GLOSSARY.md, "Formats").

Rp6.500.000.000 · 15 Agustus 2024 · 15/08/2024 · 14.05 WITA. Written out rather than left to the
locale so a page, an Excel report and a printed BAST always agree.
"""

import datetime
import functools
import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone, translation

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def thousands(value: int | Decimal) -> str:
    """6500000000 -> '6.500.000.000' (whole rupiah; rounds half up)."""
    number = int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", ".")


def rupiah(value: int | Decimal | None) -> str:
    """6500000000 -> 'Rp6.500.000.000'; a negative amount -> '-Rp1.000'; None -> ''."""
    if value is None or value == "":
        return ""
    text = thousands(value)
    return f"-Rp{text[1:]}" if text.startswith("-") else f"Rp{text}"


def _local(value: datetime.date | datetime.datetime) -> datetime.date | datetime.datetime:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _dated(format_value):
    """A date/time format: empty for None, and an aware datetime first in Asia/Makassar (WITA)."""

    @functools.wraps(format_value)
    def formatted(value) -> str:
        return "" if value is None else format_value(_local(value))

    return formatted


@_dated
def month_year(value: datetime.date | datetime.datetime) -> str:
    """'Agustus 2024'."""
    return f"{MONTHS[value.month - 1]} {value.year}"


QUARTERS = ("I", "II", "III", "IV")


@_dated
def quarter(value: datetime.date | datetime.datetime) -> str:
    """'Triwulan III 2026' (1 Aug 2026): how the register's (DTSEN's) periods are named."""
    return f"Triwulan {QUARTERS[(value.month - 1) // 3]} {value.year}"


@_dated
def date_long(value: datetime.date | datetime.datetime) -> str:
    """'15 Agustus 2024'."""
    return f"{value.day} {month_year(value)}"


@_dated
def date_with_day(value: datetime.date | datetime.datetime) -> str:
    """'Kamis, 15 Agustus 2024'."""
    return f"{DAYS[value.weekday()]}, {date_long(value)}"


@_dated
def date_short(value: datetime.date | datetime.datetime) -> str:
    """'15/08/2024' (tables)."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


@_dated
def time_wita(value: datetime.datetime | datetime.time) -> str:
    """'14.05 WITA' (an aware datetime is first converted to Asia/Makassar)."""
    return f"{value.hour:02d}.{value.minute:02d} WITA"


def datetime_wita(value: datetime.datetime | None) -> str:
    """'15/08/2024 14.05 WITA'."""
    if value is None:
        return ""
    return f"{date_short(value)} {time_wita(value)}"


def duration(value: datetime.timedelta | None) -> str:
    """timedelta(minutes=90) -> '1 jam 30 menit'; under a minute -> 'kurang dari 1 menit'."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} jam"] if hours else []
    if minutes:
        parts.append(f"{minutes} menit")
    return " ".join(parts) or "kurang dari 1 menit"


def terbilang(value: int | Decimal) -> str:
    """6500000000 -> 'enam miliar lima ratus juta rupiah' (the amount in words on a BAST)."""
    from num2words import num2words

    return f"{num2words(int(value), lang='id')} rupiah"


def mask_number(number: str) -> str:
    """'6472015708450001' -> '647201**********': an identity number (NIK, No. KK) as lists and histories show it to
    those without the right to see it whole. Only the region (digits 1–6) stays, which the address gives anyway;
    digits 7–12 are the birth date (day + 40 for a woman) — shown beside it on the person page — and 13–16 the
    serial, so showing either would let the NIK be rebuilt. Hidden, they leave 10,000 candidates at least."""
    if not number or len(number) < 10:
        return number or ""
    return f"{number[:6]}{'*' * (len(number) - 6)}"


# Sixteen digits in a row, or with a space, dot or dash between them ("6472 0157 0845 0001", "6472.0157…"), not
# part of a longer number: how a NIK or KK is written inside free text.
_NUMBER_IN_TEXT = re.compile(r"(?<![\d.\-])\d(?:[ .\-]?\d){15}(?![\d])")


def mask_numbers_in_text(text: str) -> str:
    """`text` with every NIK- or KK-like run of 16 digits masked as mask_number does (separators kept out)."""
    if not text or not isinstance(text, str):
        return text
    return _NUMBER_IN_TEXT.sub(lambda m: mask_number(re.sub(r"\D", "", m.group())), text)


def mask_numbers_in(value):
    """`value` (a recorded before/after value: text, number, list or dict) with every 16-digit number masked, a
    whole value or written inside a text."""
    if isinstance(value, str):
        return mask_numbers_in_text(value)
    if isinstance(value, list | tuple):
        return [mask_numbers_in(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_numbers_in(v) for k, v in value.items()}
    return value


def choice_label(choices, value) -> str:
    """The label of a value of a TextChoices/IntegerChoices class, as get_<field>_display gives it (the value itself
    when unknown), without the model field rebuilding its choices on every call: for what every row of a list
    prints (a region's kind, a person's sex)."""
    return _labels(choices, translation.get_language()).get(value, value)


@functools.cache
def _labels(choices, language) -> dict:
    return {member.value: str(member.label) for member in choices}
