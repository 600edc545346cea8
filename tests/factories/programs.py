from decimal import Decimal

import factory

from programs.models import BudgetYear


class BudgetYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetYear
        django_get_or_create = ["year"]

    year = 2024
    total_ceiling = Decimal("6500000000")
    status = BudgetYear.Status.OPEN
