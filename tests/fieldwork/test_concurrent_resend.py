"""A phone that resends its queue while the first send is still running (a slow connection, two tabs): the same
action arriving at once is applied once, and every copy gets the same answer (PostgreSQL, real threads)."""

import uuid

import pytest

from audit.models import AuditEvent
from fieldwork.models import FieldAction
from fieldwork.services import action_apply
from tests.disbursements.test_row_locks import THREADS, _at_once
from tests.factories import ApprovedItemFactory, OperatorFactory
from tests.factories.training import TrainingSessionFactory
from training.services import participants_invite


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_same_action_sent_at_once_is_applied_once():
    item = ApprovedItemFactory()
    [attendance] = participants_invite(session=TrainingSessionFactory(), item_ids=[item.pk], actor=None)
    operator, key = OperatorFactory(), str(uuid.uuid4())

    def send():
        return action_apply(user=operator, client_id=key, kind="kehadiran", target_id=attendance.pk,
                            done_at="2024-07-15T02:30:00Z", data={"status": "present"})  # fmt: skip

    answers, refused, crashed = _at_once(send)
    assert crashed == [] and refused == [] and len(answers) == THREADS
    assert {a.result for a in answers} == {"diterapkan"} and sum(not a.duplicate for a in answers) == 1
    assert FieldAction.objects.count() == 1 and AuditEvent.objects.filter(action="attendance.mark").count() == 1
