"""The register's word on a person, on the pages of lower apps (the person page of beneficiaries): their desil by
period, newest first, as "Desil 3 (DTSEN Triwulan III 2026)" (one query)."""

from django import template

from dtsen.permissions import can_view_register
from dtsen.selectors import history

register = template.Library()


@register.inclusion_tag("dtsen/partials/desil_history.html", takes_context=True)
def desil_history(context, person):
    """{% desil_history person %}: the newest period's desil, and the periods before it."""
    if not can_view_register(context["request"].user):
        return {"allowed": False}
    facts = history(person.nik)
    return {"allowed": True, "latest": facts[0] if facts else None, "earlier": facts[1:], "typed": person.desil}
