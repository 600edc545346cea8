"""Writes of the scorecard: the thresholds of a budget year (audited; the kept scorecards of the year recounted)."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record
from quality.measures import BY_CODE
from quality.models import Threshold
from quality.selectors import version_key


def thresholds_update(*, budget_year, values: dict, actor) -> int:
    """values: {measure code: (good, poor, source)}. Refused when `good` is on the wrong side of `poor` for the
    measure's direction. Returns how many changed."""
    errors = {}
    for code, (good, poor, _source) in values.items():
        measure = BY_CODE[code]
        if (measure.higher_is_better and good < poor) or (not measure.higher_is_better and good > poor):
            better = "lebih besar" if measure.higher_is_better else "lebih kecil"
            errors[code] = f"{measure.label}: batas baik harus sama atau {better} dari batas buruk."
    if errors:
        raise ValidationError(errors)
    changed = 0
    with transaction.atomic():
        for threshold in Threshold.objects.select_for_update().filter(budget_year=budget_year, measure__in=values):
            good, poor, source = values[threshold.measure]
            if (threshold.good, threshold.poor, threshold.source) == (good, poor, source):
                continue
            before = {"good": str(threshold.good), "poor": str(threshold.poor), "source": threshold.source}
            threshold.good, threshold.poor, threshold.source, threshold.updated_by = good, poor, source, actor
            threshold.save()
            audit_record(actor=actor, action="threshold.update", obj=threshold, before=before,
                         after={"good": str(good), "poor": str(poor), "source": source})  # fmt: skip
            changed += 1
        if changed:
            transaction.on_commit(lambda: _bump(budget_year))
    return changed


def _bump(budget_year) -> None:
    key = version_key(budget_year)
    cache.add(key, 0, None)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)
