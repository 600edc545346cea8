from django.http import Http404

from proposals import selectors
from proposals.models import Proposal


def get_proposal(request, pk) -> Proposal:
    """The proposal, if the user may see it (another regency's answers 404)."""
    try:
        return selectors.proposal_get(user=request.user, pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
