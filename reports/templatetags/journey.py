"""The recipient's journey on the pages of lower apps (person, KUBE group, proposal): they load these tags in
their templates and import nothing from above them (composition, docs/architecture.md)."""

from weakref import WeakKeyDictionary

from django import template
from django.template import Context
from django.template.loader import get_template

from complaints.models import Outcome
from complaints.selectors import complaints_about
from monitoring.permissions import can_record_visits, can_view_visits
from monitoring.selectors import handover_schedule
from proposals.selectors import group_proposals, person_proposals
from rechecks.models import Recheck
from reports.selectors import JOURNEY, journey

register = template.Library()
JOURNEY_TEMPLATE = "reports/partials/journey.html"
_BADGES: WeakKeyDictionary = WeakKeyDictionary()  # {template: {steps done: its badges}}


@register.simple_tag
def journey_steps(items) -> dict[int, int]:
    """{% journey_steps page as steps %}: how far each of these recipients has come (at most five queries)."""
    return journey(items)


@register.simple_tag
def journey_badges(steps: dict, item) -> str:
    """{% journey_badges steps item %}: the badges of proposed → … → delivered for one recipient. There are only
    eight ways they can look (0–7 steps done), so each is rendered once per loaded template and reused: a
    proposal's page shows them on each of its hundred rows."""
    template = get_template(JOURNEY_TEMPLATE).template  # the loader's cached copy (a new one once the file changes)
    rendered = _BADGES.setdefault(template, {})
    done = steps.get(item.pk, 0)
    if done not in rendered:
        rendered[done] = template.render(Context({"done": done, "labels": JOURNEY}))
    return rendered[done]


@register.inclusion_tag("reports/partials/journey_history.html")
def journey_history(*, person=None, group=None):
    """{% journey_history person=person %} or {% journey_history group=group %}: every year the person or group
    was proposed, the decision, and how far the journey went; a person's field re-checks against DTSEN."""
    items = list(person_proposals(person=person) if person is not None else group_proposals(group=group))
    rechecks = list(Recheck.objects.filter(person=person).select_related("recorded_by")) if person is not None else []
    return {"items": items, "steps": journey(items), "labels": JOURNEY, "for_person": person is not None,
            "rechecks": rechecks}  # fmt: skip


@register.inclusion_tag("reports/partials/visit_schedule.html", takes_context=True)
def visit_schedule(context, handover):
    """{% visit_schedule handover %}: the BAST's monitoring visits, scheduled and recorded, with the action the user
    may take (on the handover page of disbursements, which imports nothing from monitoring)."""
    user = context["request"].user
    if not can_view_visits(user):
        return {"rows": None}
    return {
        "rows": handover_schedule(handover),
        "handover": handover,
        "can_record": can_record_visits(user),
        "graduation": handover.assessments.order_by("-id").first(),
    }


@register.inclusion_tag("reports/partials/complaints_about.html", takes_context=True)
def complaints_on(context, *, person=None, group=None, handover=None):
    """{% complaints_on person=person %} (or group=, handover=): the complaints about the record that the user may
    see, a proven one marked — on the pages of lower apps, which import nothing from complaints."""
    rows = complaints_about(context["request"].user, person=person, group=group, handover=handover)
    return {"complaints": rows, "proven": (Outcome.PROVEN, Outcome.PARTLY)}
