"""Reads of Bimtek sessions and attendance, through `sessions_visible_to` (the one door), and the Bimtek
gate that a handover asks."""

from django.db.models import Count, Min, Q, QuerySet

from beneficiaries.models import OFFICER_ROLES, KubeMember
from proposals.models import ItemStatus, ProposalItem
from training.models import Attendance, AttendanceStatus, TrainingSession
from training.permissions import can_view_training


def sessions_visible_to(user) -> QuerySet[TrainingSession]:
    if not can_view_training(user):
        return TrainingSession.objects.none()
    return TrainingSession.objects.filter(user.regency_q("regency"))


def with_attendance_counts(queryset: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """Sessions with participant counts per status (one query)."""
    return queryset.select_related("regency", "budget_year").annotate(
        invited=Count("attendances"),
        present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
        excused=Count("attendances", filter=Q(attendances__status=AttendanceStatus.EXCUSED)),
        absent=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ABSENT)),
    )


def attendance_rate(present: int, invited: int) -> float | None:
    """Present ÷ invited, in percent (None without participants)."""
    return round(present * 100 / invited, 1) if invited else None


def rates_per_regency(sessions: QuerySet[TrainingSession]) -> list[dict]:
    """Per regency: sessions, participants, present and the attendance rate (one query)."""
    rows = (
        sessions.values("regency", "regency__name", "regency__kind")
        .annotate(
            sessions=Count("id", distinct=True),
            invited=Count("attendances"),
            present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
        )
        .order_by("regency")
    )
    return [{**row, "rate": attendance_rate(row["present"], row["invited"])} for row in rows]


def participants(session: TrainingSession) -> QuerySet[Attendance]:
    return session.attendances.select_related("person__village", "item__group", "marked_by").order_by(
        "item__group__name", "person__full_name", "id"
    )


def invitable_items(session: TrainingSession) -> QuerySet[ProposalItem]:
    """Approved recipients of the session's year, program and regency not invited to it yet."""
    return (
        ProposalItem.objects.filter(
            proposal__budget_year=session.budget_year_id,
            proposal__program=session.program,
            proposal__regency=session.regency_id,
            status=ItemStatus.APPROVED,
        )
        .exclude(attendances__session=session)
        .select_related("person__village", "group__village")
        .order_by("id")
    )


def required_people(item: ProposalItem) -> dict[int, str]:
    """Who of a recipient must have attended Bimtek before a handover: the woman (WRSE), or the KUBE
    group's ketua, sekretaris and bendahara. {person id: name with role}."""
    if item.person_id:
        return {item.person_id: item.person.full_name}
    officers = KubeMember.objects.filter(group=item.group_id, role__in=OFFICER_ROLES).select_related("person")
    return {m.person_id: f"{m.person.full_name} ({m.get_role_display().lower()})" for m in officers}


def _present(item: ProposalItem, people) -> QuerySet[Attendance]:
    """`people` present at a Bimtek of the item's year and program (any session: a recipient may attend another)."""
    return Attendance.objects.filter(
        person__in=people,
        status=AttendanceStatus.PRESENT,
        session__budget_year=item.proposal.budget_year_id,
        session__program=item.proposal.program,
    )


def training_gate(item: ProposalItem) -> list[str]:
    """Why a recipient may not receive goods yet, as Indonesian sentences (empty: the Bimtek rule holds).
    Attendance counts in any session of the item's year and program."""
    required = required_people(item)
    if item.group_id and len(required) < len(OFFICER_ROLES):
        return ["KUBE ini belum lengkap ketua, sekretaris dan bendaharanya."]
    attended = set(_present(item, required).values_list("person_id", flat=True))
    return [f"{name} belum tercatat hadir pada Bimtek." for pk, name in required.items() if pk not in attended]


def trained_on(item: ProposalItem):
    """The day the recipient's Bimtek was done: the end of the first attended session of each required person
    (the woman, or the KUBE's three officers), the latest of those; None while the Bimtek rule does not hold."""
    required = required_people(item)
    if item.group_id and len(required) < len(OFFICER_ROLES):
        return None  # a KUBE without its three officers is never trained, whoever attended
    firsts = dict(
        _present(item, required)
        .values("person_id")
        .annotate(first=Min("session__end_date"))
        .values_list("person_id", "first")
    )
    if not required or set(required) - set(firsts):
        return None
    return max(firsts.values())


def attended(items) -> set[int]:
    """Of `items` — (item id, person id, group id, budget year id, program) — those whose required people
    attended Bimtek: the woman (WRSE), or all three officers of the KUBE group (the rule of training_gate,
    for many items in two queries)."""
    items = list(items)
    officers: dict[int, set[int]] = {}
    for group_id, person_id in KubeMember.objects.filter(
        group__in={group for _, _, group, _, _ in items if group}, role__in=OFFICER_ROLES
    ).values_list("group_id", "person_id"):
        officers.setdefault(group_id, set()).add(person_id)
    required = {pk: {person} if person else officers.get(group, set()) for pk, person, group, _, _ in items}
    present = set(
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT, person__in=set().union(*required.values())
        ).values_list("person_id", "session__budget_year_id", "session__program")
    )
    done = set()
    for pk, person, _, year, program in items:
        people = required[pk]
        if len(people) == (1 if person else len(OFFICER_ROLES)) and all((p, year, program) in present for p in people):
            done.add(pk)
    return done
