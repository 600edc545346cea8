"""The official region codes and names shipped in regions/data/ (Kemendagri codes, with their attribution), read
from the files themselves: for loading the tables, and for rules that must hold without a database (a NIK's
regency)."""

import csv
import functools
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def regency_codes() -> frozenset[str]:
    """Kaltim's regency/city codes as a NIK writes them: "6472" for Kemendagri code 64.72 (Kota Samarinda)."""
    return frozenset(row["kode"].replace(".", "") for row in read("regencies.csv"))
