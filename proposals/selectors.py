"""Reads of proposals, through `proposals_visible_to` (the one door for proposals)."""

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from beneficiaries.models import KubeMember
from proposals.models import ItemCount, ItemStatus, Proposal, ProposalItem, Upload
from proposals.permissions import can_view_proposals


def proposals_visible_to(user) -> QuerySet[Proposal]:
    if not can_view_proposals(user):
        return Proposal.objects.none()
    return Proposal.objects.filter(user.regency_q("regency"))


# The item counts shown beside a proposal: all, per status, with errors and with warnings.
COUNTS = ["item_count", *(f"{status}_count" for status in ItemStatus.values), "error_count", "warning_count"]


def counted(queryset: QuerySet[Proposal]) -> list[Proposal]:
    """The proposals with their item counts (COUNTS as attributes), in two queries: the proposals, then their rows
    of ItemCount (kept by triggers: a few rows per proposal, however many items it has)."""
    proposals = list(queryset.select_related("regency", "budget_year"))
    counts = {proposal.pk: dict.fromkeys(COUNTS, 0) for proposal in proposals}
    for proposal, status, has_errors, has_warnings, n in ItemCount.objects.filter(proposal__in=counts).values_list(
        "proposal", "status", "has_errors", "has_warnings", "n"
    ):
        line = counts[proposal]
        line["item_count"] += n
        line[f"{status}_count"] += n
        line["error_count"] += n if has_errors else 0
        line["warning_count"] += n if has_warnings else 0
    for proposal in proposals:
        for name, value in counts[proposal.pk].items():
            setattr(proposal, name, value)
    return proposals


def proposal_get(*, user, pk: int) -> Proposal:
    """One visible proposal with counts; raises Proposal.DoesNotExist when absent or out of scope."""
    found = counted(proposals_visible_to(user).filter(pk=pk))
    if not found:
        raise Proposal.DoesNotExist
    return found[0]


def inbox(*, user) -> list[Proposal]:
    """What waits for the province: submitted proposals and those in review, oldest first, with their counts."""
    return counted(
        proposals_visible_to(user)
        .filter(status__in=[Proposal.Status.SUBMITTED, Proposal.Status.IN_REVIEW])
        .order_by("submitted_at", "pk")
    )


def items_visible_to(user) -> QuerySet[ProposalItem]:
    """The proposal items of the proposals the user may see (one door for items, as proposals_visible_to is for
    proposals)."""
    return ProposalItem.objects.filter(proposal__in=proposals_visible_to(user))


def items_of(proposal: Proposal) -> QuerySet[ProposalItem]:
    """A proposal's items with what their rows show (person / group, village, business type). Each item's `proposal`
    is `proposal` itself (the related manager sets it), so neither it nor its budget year is joined again."""
    return proposal.items.select_related("person", "person__village", "group", "group__village", "business_type")


def uploads_latest(proposal: Proposal, limit: int = 5) -> QuerySet[Upload]:
    """A proposal's latest uploads as its page lists them, each with `error_count`: the problems of error level,
    counted by the database. Their list is not loaded: a workbook of 10,000 rows keeps a JSON list as long, which the
    page would decode only to count it."""
    if connection.vendor == "postgresql":
        counted_sql = (
            "SELECT count(*) FROM jsonb_array_elements(proposals_upload.problems) AS problem"
            " WHERE coalesce(problem->>'level', 'error') = 'error'"
        )
    else:
        counted_sql = (
            "SELECT count(*) FROM json_each(proposals_upload.problems)"
            " WHERE coalesce(json_extract(value, '$.level'), 'error') = 'error'"
        )
    uploads = proposal.uploads.select_related("uploaded_by").defer("problems")
    return uploads.annotate(error_count=RawSQL(counted_sql, ()))[:limit]


def filter_items(queryset: QuerySet[ProposalItem], params) -> QuerySet[ProposalItem]:
    """The verifier's filters: status, check results (errors / warnings / a check code), name or NIK."""
    status = params.get("status")
    if status in ItemStatus.values:
        queryset = queryset.filter(status=status)
    result = params.get("periksa")
    if result == "error":
        queryset = queryset.filter(has_errors=True)
    elif result == "warning":
        queryset = queryset.filter(has_warnings=True, has_errors=False)
    elif result == "ok":
        queryset = queryset.filter(has_errors=False, has_warnings=False)
    code = params.get("kode")
    if code:
        queryset = (
            queryset.filter(checks__contains=[{"code": code}])
            if _json_contains()
            else queryset.filter(checks__icontains=f'"code": "{code}"')
        )
    query = " ".join((params.get("q") or "").split())
    if query:
        if query.isdigit():
            queryset = queryset.filter(
                Q(person__nik__startswith=query) | Q(group__members__person__nik__startswith=query)
            )
        else:
            queryset = queryset.filter(Q(person__full_name__icontains=query) | Q(group__name__icontains=query))
    return queryset.distinct() if query else queryset


def _json_contains() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


def person_proposals(*, person) -> QuerySet[ProposalItem]:
    """A person's proposal history (directly, or through a KUBE group), newest year first: the items of the person,
    and those of the groups she is a member of, each found by its own index (no join through the members, no
    DISTINCT over every item ever proposed). Her groups are read first (a few, often none): as a subquery inside
    the OR, PostgreSQL tested every item against it instead of combining the two indexes (17 ms at 110,000 items,
    growing with them)."""
    groups = list(KubeMember.objects.filter(person=person).values_list("group_id", flat=True))
    return (
        ProposalItem.objects.filter(Q(person=person) | Q(group__in=groups))
        .select_related("proposal", "proposal__budget_year", "proposal__regency", "group")
        .order_by("-proposal__budget_year__year")
    )


def group_proposals(*, group) -> QuerySet[ProposalItem]:
    """A KUBE group's proposal history, newest year first."""
    return (
        ProposalItem.objects.filter(group=group)
        .select_related("proposal", "proposal__budget_year", "proposal__regency")
        .order_by("-proposal__budget_year__year")
    )
