import datetime

import factory

from regions.models import Regency
from tests.factories.programs import BudgetYearFactory
from training.models import TrainingSession


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """A WRSE Bimtek of Kota Samarinda in 2024 for 30 participants."""

    class Meta:
        model = TrainingSession

    budget_year = factory.SubFactory(BudgetYearFactory)
    program = "WRSE"
    regency = factory.LazyFunction(lambda: Regency.objects.get(code="64.72"))
    topic = "Penggunaan barang bantuan"
    start_date = datetime.date(2024, 7, 15)
    end_date = datetime.date(2024, 7, 16)
    venue = "Aula Dinas Sosial"
    facilitators = "Tim Dinsos Kaltim"
    capacity = 30
