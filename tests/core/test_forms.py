from decimal import Decimal

import pytest
from django import forms

from core.forms import RupiahField


class MoneyForm(forms.Form):
    amount = RupiahField()


@pytest.mark.parametrize(
    "typed",
    ["6.500.000.000", "Rp 6.500.000.000", "Rp6.500.000.000", "6500000000", " 6.500.000.000,00 ", "rp 6500000000"],
)
def test_the_ways_officers_write_an_amount_are_one_amount(typed):
    form = MoneyForm({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("6500000000")


@pytest.mark.parametrize(
    ("typed", "message"),
    [("6.500.000.000,50", "tanpa sen"), ("enam juta", "dengan angka"), ("-1", "lebih besar dari atau sama dengan 0")],
)
def test_what_is_not_whole_rupiah_is_refused_with_why(typed, message):
    form = MoneyForm({"amount": typed})
    assert not form.is_valid() and message in form.errors["amount"][0]


def test_the_box_shows_grouped_digits():
    html = str(MoneyForm(initial={"amount": Decimal("6500000000")})["amount"])
    assert 'value="6.500.000.000"' in html and 'inputmode="numeric"' in html and 'type="text"' in html
