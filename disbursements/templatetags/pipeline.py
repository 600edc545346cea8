from django import template

from disbursements.selectors import PIPELINE

register = template.Library()


@register.inclusion_tag("disbursements/partials/pipeline.html")
def pipeline(steps: dict, item):
    """{% pipeline steps item %}: the badges of proposed → … → delivered for one recipient."""
    return {"done": steps.get(item.pk, 0), "labels": PIPELINE}
