"""Goods counted by unit: how many of the units on one BAST line were found in each condition ("dipakai 2, rusak 1"
for an oven line of 3), at a monitoring visit or at the province's verification. Every unit handed over is
accounted for: the counts of a line add up to its quantity."""

from collections.abc import Mapping

Counts = dict[str, int]  # condition value -> units, only conditions with at least one unit


def normalise(value, quantity: int) -> Counts:
    """The counts of one line from what a caller gave: a mapping of condition to units (blank and 0 dropped), or
    one condition as a string for every unit of the line. Raises ValueError for a count that is not a whole
    number of 0 or more."""
    if isinstance(value, str):
        return {value: quantity} if value else {}
    counts = {}
    for condition, units in (value or {}).items():
        if units in (None, ""):
            continue
        if isinstance(units, float) and units.is_integer():  # a number cell of a workbook
            units = int(units)
        text = str(units).strip()
        if not text.isdigit():
            raise ValueError(f"jumlah “{units}” bukan bilangan bulat 0 atau lebih")
        number = int(text)
        if number:
            counts[str(condition)] = number
    return counts


def problem(name: str | None, quantity: int, unit: str, counts: Mapping[str, int], known) -> str | None:
    """Why the counts of one line cannot be saved, or None: an unknown condition, or units that do not add up to
    the quantity handed over. Named "<name>: …" (a form shows it under the line: no name)."""

    def said(text):
        return f"{name}: {text}" if name else text[0].upper() + text[1:]

    unknown = [c for c in counts if c not in known]
    if unknown:
        return said(f"kondisi “{unknown[0]}” tidak dikenal.")
    total = sum(counts.values())
    if total == 0:
        return said(f"isi berapa {unit} dalam tiap kondisi (diserahkan {quantity} {unit}).")
    if total != quantity:
        return said(
            f"jumlah per kondisi {total}, padahal diserahkan {quantity} {unit} — bagi setiap {unit} ke salah satu "
            "kondisi."
        )
    return None


def describe(counts: Mapping[str, int], choices, *, shout=()) -> str:
    """ "dipakai 2, rusak 1" in the order of the choices; a condition in `shout` written in capitals."""
    parts = []
    for value, label in choices:
        if counts.get(value):
            text = str(label).lower()
            parts.append(f"{text.upper() if value in shout else text} {counts[value]}")
    return ", ".join(parts)
