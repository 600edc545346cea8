"""The proposal rules at their edges (proposals.checks.person_checks): what a verifier relies on."""

import datetime
from types import SimpleNamespace

import pytest

from beneficiaries.identity import make_nik
from proposals.checks import ERROR, WARNING, person_checks
from tests.factories import BudgetYearFactory

pytestmark = pytest.mark.django_db


def _woman(born: datetime.date, **changes):
    values = {"nik": make_nik("647203", born, "P", 11), "sex": "P", "birth_date": born, "full_name": "Siti",
              "dtks_id": "DTKS1", "last_assisted_year": None, **changes}  # fmt: skip
    return SimpleNamespace(**values)


def _codes(person) -> list[tuple[str, str]]:
    return [(c["code"], c["level"]) for c in person_checks(person, BudgetYearFactory(), wrse=True)]


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        (datetime.date(2006, 1, 1), True),  # 18 on 1 January 2024: the birthday on the reference day counts
        (datetime.date(2006, 1, 2), False),  # 17 on 1 January 2024
        (datetime.date(1964, 1, 2), True),  # 59
        (datetime.date(1964, 1, 1), False),  # 60 on the reference day
    ],
)
def test_wrse_age_bounds_at_their_edges(born, eligible):
    assert (("wrse_age", ERROR) not in _codes(_woman(born))) is eligible


def test_a_nik_that_contradicts_the_sex_or_birth_date_is_an_error():
    born = datetime.date(1985, 8, 17)
    assert ("nik", ERROR) in _codes(_woman(born, birth_date=datetime.date(1985, 8, 18)))
    assert ("nik", ERROR) in _codes(_woman(born, nik=make_nik("647203", born, "L", 11)))


def test_a_nik_from_outside_kaltim_is_a_warning_only():
    born = datetime.date(1985, 8, 17)
    assert _codes(_woman(born, nik=make_nik("737101", born, "P", 11))) == [("nik_outside", WARNING)]
