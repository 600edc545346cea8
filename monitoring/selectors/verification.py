"""Reads of post-distribution verification: the samples and their draws, the results a user may see."""

from django.db.models import Count, Prefetch, Q, QuerySet

from disbursements.models import Handover, HandoverLine
from monitoring.models import (
    Outcome,
    VerificationResult,
    VerificationSample,
)
from monitoring.permissions import can_view_visits


def samples_visible_to(user) -> QuerySet[VerificationSample]:
    if not can_view_visits(user):
        return VerificationSample.objects.none()
    return VerificationSample.objects.filter(user.regency_q("regency"))


def sample_summaries(samples) -> list[VerificationSample]:
    """Samples with their counts per outcome (one query)."""
    counts = {f"n_{o}": Count("results", filter=Q(results__outcome=o)) for o in Outcome.values}
    return list(
        samples.select_related("regency", "budget_year")
        .annotate(checked=Count("results", filter=~Q(results__outcome="")), **counts)
        .order_by("regency_id", "draw")
    )


def sample_draws(sample) -> list[VerificationSample]:
    """Every draw of the sample's regency and year, the first one first."""
    return list(
        VerificationSample.objects.filter(budget_year_id=sample.budget_year_id, regency_id=sample.regency_id)
        .only("pk", "draw", "size", "population", "created_at")
        .order_by("draw")
    )


def results_visible_to(user) -> QuerySet[VerificationResult]:
    if not can_view_visits(user):
        return VerificationResult.objects.none()
    return VerificationResult.objects.filter(user.regency_q("regency"))


def sample_results(sample) -> QuerySet[VerificationResult]:
    return (
        sample.results.select_related(
            "handover",
            "checked_by",
            "handover__allocation__item__person__village__district",
            "handover__allocation__item__group__village__district",
        )
        .prefetch_related(Prefetch("handover__lines", queryset=HandoverLine.objects.select_related("goods")))
        .order_by("position")
    )


def delivered_ids(budget_year, regency) -> list[int]:
    """The ids of the delivered BASTs of a regency and year, in order: a verification draw's population."""
    return list(
        Handover.objects.delivered()
        .filter(budget_year=budget_year, regency=regency)
        .order_by("id")
        .values_list("id", flat=True)
    )


def sample_newcomers(sample: VerificationSample) -> list[int]:
    """The delivered BASTs of the sample's regency and year that no draw so far had in its population (made after
    the earlier draws), in id order."""
    drawn = set()
    for ids in VerificationSample.objects.filter(
        budget_year_id=sample.budget_year_id, regency_id=sample.regency_id
    ).values_list("population_ids", flat=True):
        drawn.update(ids)
    return [pk for pk in delivered_ids(sample.budget_year_id, sample.regency_id) if pk not in drawn]
