from decimal import Decimal

import factory

from programs.models import BudgetYear, Ceiling
from regions.models import Regency


class BudgetYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetYear
        django_get_or_create = ["year"]

    year = 2024
    total_ceiling = Decimal("6500000000")
    status = BudgetYear.Status.OPEN


class CeilingFactory(factory.django.DjangoModelFactory):
    """The WRSE ceiling of Kota Samarinda in 2024: 100 recipients, Rp500.000.000."""

    class Meta:
        model = Ceiling
        django_get_or_create = ["budget_year", "regency", "program"]

    budget_year = factory.SubFactory(BudgetYearFactory)
    regency = factory.LazyFunction(lambda: Regency.objects.get(code="64.72"))
    program = "WRSE"
    target_count = 100
    amount = Decimal("500000000")
