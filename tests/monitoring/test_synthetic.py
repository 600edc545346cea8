from django.core.management import call_command

from disbursements.models import Handover
from monitoring.models import Visit, VisitGoods
from tests.factories import PersonFactory


def test_synthetic_recipients_are_delivered_and_visited(db, reference_data):
    PersonFactory.create_batch(30)
    call_command("seed_monitoring", recipients=20, year=2097, verbosity=0)
    handovers = Handover.objects.filter(budget_year__year=2097)
    assert handovers.count() == 20 and all(h.lines.count() == 2 for h in handovers)
    visits = Visit.objects.filter(budget_year__year=2097)
    assert 0 < visits.count() <= 60
    assert VisitGoods.objects.filter(visit__in=visits).count() == 2 * visits.count()
    call_command("seed_monitoring", recipients=20, year=2097, verbosity=0)  # the next people, not the same again
    assert Handover.objects.filter(budget_year__year=2097).count() == 30
