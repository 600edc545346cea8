"""The way back to a proposal from a page of a lower app (a person, a KUBE group) opened from its item list:
`?usulan=<pk>` on the link, `{% proposal_origin as origin %}` in the page (composition, docs/architecture.md)."""

from django import template

from proposals.selectors import proposals_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def proposal_origin(context):
    """The proposal named by `?usulan=` if this user may see it, else None (another regency's: nothing)."""
    request = context.get("request")
    pk = request.GET.get("usulan", "") if request is not None else ""
    if not pk.isdigit():
        return None
    return proposals_visible_to(request.user).select_related("regency", "budget_year").filter(pk=pk).first()
