"""Keeps proposals pointing at the right person when the registry merges two records of one person."""

from django.dispatch import receiver

from beneficiaries.models import Person
from beneficiaries.services import person_merged
from proposals.models import ProposalItem, ProposedPerson


@receiver(person_merged, sender=Person)
def move_proposals_to_kept_person(sender, keep, duplicate, actor, **kwargs):
    for item in ProposalItem.objects.filter(person=duplicate).select_related("proposal"):
        if ProposalItem.objects.filter(proposal=item.proposal, person=keep).exists():
            item.delete()  # both were in the same list: one entry is enough
        else:
            ProposalItem.objects.filter(pk=item.pk).update(person=keep)
    for entry in ProposedPerson.objects.filter(person=duplicate):
        if ProposedPerson.objects.filter(budget_year=entry.budget_year_id, person=keep).exists():
            entry.delete()
        else:
            ProposedPerson.objects.filter(pk=entry.pk).update(person=keep)
