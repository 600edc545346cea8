"""What `bench/mutation.py` mutates: each rule module's functions and the tests that must catch a broken rule, and
the survivors that change nothing a user can see (EQUIVALENT), with the reason."""

from dataclasses import dataclass


@dataclass
class Module:
    key: str
    title: str
    functions: dict[str, list[str]]  # source file -> functions mutated (empty list: every function of the file)
    tests: list[str]


MODULES = [
    Module(
        "identity",
        "NIK/KK identity checks",
        {"beneficiaries/identity.py": []},
        ["tests/beneficiaries/test_identity.py"],
    ),
    Module(
        "checks",
        "Proposal eligibility checks",
        {"proposals/checks.py": []},
        ["tests/proposals/test_checks.py"],
    ),
    Module(
        "kube",
        "KUBE group rules (size, officers)",
        {
            "beneficiaries/selectors.py": ["group_problems"],
            "beneficiaries/services.py": ["kube_member_add", "kube_member_remove", "kube_member_change_role"],
            "programs/selectors.py": ["kube_size_bounds"],
        },
        ["tests/beneficiaries/test_services.py", "tests/beneficiaries/test_kube_rules.py"],
    ),
    Module(
        "disbursements",
        "Allocation and handover services",
        {
            "disbursements/services.py": [
                "allocations_create_matching",
                "allocations_create",
                "_void_reason",
                "allocation_void",
                "handover_number",
                "_next_sequence",
                "handover_date_problems",
                "handover_create",
                "handovers_create_for_session",
                "handover_attach",
                "handover_void",
            ]
        },
        [
            "tests/disbursements/test_services.py",
            "tests/disbursements/test_allocation_rules.py",
            "tests/disbursements/test_handovers.py",
            "tests/disbursements/test_batch_handover.py",
            "tests/disbursements/test_handover_numbers.py",
            "tests/disbursements/test_service_contracts.py",
        ],
    ),
    Module(
        "monitoring",
        "Monitoring rules (visit schedule, visit answers, graduation, verification sample)",
        {
            "monitoring/schedule.py": [],
            "monitoring/graduation.py": [],
            "monitoring/sampling.py": [],
            "monitoring/units.py": [],
            "monitoring/services/visits.py": ["visit_problems", "_goods_problems"],
            "monitoring/services/verification.py": ["verification_problems", "_found_units"],
            "monitoring/services/assessments.py": ["criteria_save", "assessment_save"],
        },
        [
            "tests/monitoring/test_schedule.py",
            "tests/monitoring/test_graduation.py",
            "tests/monitoring/test_verification.py",
            "tests/monitoring/test_services.py",
            "tests/monitoring/test_rule_edges.py",
        ],
    ),
    Module(
        "complaints",
        "Complaint rules (deadlines in working days, steps, links, attachments, public page)",
        {
            "core/workdays.py": [],
            "complaints/selectors.py": ["overdue", "time_left"],
            "complaints/services.py": [
                "_next_number",
                "complaint_problems",
                "derive_links",
                "_link_problems",
                "complaint_record",
                "complaint_step",
                "_record_on_linked",
                "complaint_attach",
                "_safe_name",
                "complaint_submit_public",
                "complaint_lookup",
            ],
        },
        [
            "tests/core/test_workdays.py",
            "tests/complaints/test_complaints.py",
            "tests/complaints/test_links_and_attachments.py",
            "tests/complaints/test_rules.py",
        ],
    ),
    Module(
        "gate",
        "Bimtek gate",
        {"training/selectors.py": ["required_people", "_present", "training_gate", "trained_on", "attended"]},
        ["tests/training/test_gate.py"],
    ),
]

# Survivors that change nothing a user can see, keyed by module, function and the mutated line (whitespace
# collapsed), with the reason. A survivor not listed here counts against the score.
_WIDER = "reads every row of the year instead of those of these people: the same answer, only slower"
_SAVED_MEMBERS = (
    "group_problems then reads the saved group's members, the same ones compute read (items are saved groups)"
)
_ALL_FIELDS = "saving every field of the row writes the same values: only the one named changed"
_NO_VALUE = 'no value and any other non-digits get the same message ("hanya boleh berisi angka")'
_PG_LOCK = (
    "SQLite has no row locks; on PostgreSQL tests/disbursements/test_row_locks.py fails on it (a wrong `of` is an "
    "error there, no `of` locks the joined rows too and deadlocks the concurrent test)"
)
EQUIVALENT: dict[tuple[str, str, str], str] = {
    ("identity", "check_kk", 'value = (kk or "XXXX").strip()'): _NO_VALUE,
    ("identity", "check_nik", 'facts = _nik_facts((nik or "XXXX").strip())'): _NO_VALUE,
    ("identity", "nik_errors", 'return tuple(_nik_facts((nik or "XXXX").strip()).errors)'): _NO_VALUE,
    (
        "identity",
        "_nik_facts",
        "if not (_is_date(2000 - year2, month, day_code % 40) and _registration_place_known(value[:4])):",
    ): ("2000 − yy is a leap year exactly when 2000 + yy is (yy 0–99), so the same birth dates are possible"),
    (
        "identity",
        "_nik_facts",
        "if not (_is_date(2000 + year2, month, day_code % 40) and _registration_place_known(value[:5])):",
    ): (
        "python-stdnum answers from the first two digits (the province) either way; the regency is checked "
        "against the reference data below"
    ),
    ("identity", "_nik_facts", 'result.encoded_sex = "P" if day_code >= 40 else "L"'): (
        "day code 40 is day 0, refused as an impossible date before this line"
    ),
    ("identity", "_nik_facts", "result.encoded_day = day_code - 40 if day_code >= 40 else day_code"): (
        "day code 40 is day 0, refused as an impossible date before this line"
    ),
    **{
        ("checks", "assign", f"for item, found in zip(items, compute(items, budget_year), {strict}):"): (
            "compute returns one list per item, so the lengths always agree"
        )
        for strict in ("strict=False", "strict=None", "")
    },
    ("checks", "compute", "person_id__in=person_ids"): _WIDER,
    (
        "checks",
        "compute",
        'budget_year=budget_year, ).values_list("person_id", "item_id", "item__proposal__program", '
        '"item__proposal__regency__name"):',
    ): _WIDER,
    (
        "checks",
        "compute",
        "for kk, person_id in ProposedPerson.objects.filter(budget_year=budget_year, ).values_list(",
    ): (_WIDER),
    ("checks", "compute", "members = None"): _SAVED_MEMBERS,
    ("checks", "compute", "problems = group_problems(group=None, members=members, bounds=(minimum, maximum))"): (
        "with the members given, group_problems does not read the group"
    ),
    ("checks", "compute", "problems = group_problems(group=item.group, members=None, bounds=(minimum, maximum))"): (
        _SAVED_MEMBERS
    ),
    ("kube", "kube_member_add", "member = KubeMember.objects.create(group=group, person=person, role=role, )"): (
        "group_active defaults to true, and an inactive group is refused before this line"
    ),
    ("kube", "kube_member_change_role", 'holder = ""'): "an empty string is as false as None: no holder",
    ("kube", "kube_member_change_role", "holder.save(update_fields=None)"): _ALL_FIELDS,
    ("kube", "kube_member_change_role", "member.save(update_fields=None)"): _ALL_FIELDS,
    ("gate", "attended", "role__in=OFFICER_ROLES"): (
        "reads the officers of every group instead of these items' groups: the same answer, only slower"
    ),
    (
        "gate",
        "attended",
        'status=AttendanceStatus.PRESENT, ).values_list("person_id", "session__budget_year_id", "session__program")',
    ): "reads every attendance instead of these people's: the same answer, only slower",
    ("disbursements", "allocations_create", "today = GoodsItem.objects.in_bulk(None) # today's prices, one query"): (
        "reads the whole catalogue instead of these goods: the same prices, only slower"
    ),
    **{
        ("disbursements", function, f"{model}.objects.select_for_update(of={of})"): _PG_LOCK
        for function, model in (("allocations_create", "ProposalItem"), ("handover_create", "Allocation"))
        for of in ("None", '("XXselfXX",)', '("SELF",)')
    },
    (
        "disbursements",
        "allocations_create",
        ".filter(budget_year=budget_year, program__in={k[1] for k in keys})",
    ): "reads the ceilings of every regency of the year; each recipient still takes its own regency's",
    (
        "disbursements",
        "allocations_create",
        ".filter(budget_year=budget_year, regency__in={k[0] for k in keys}, )",
    ): "reads the ceilings of both programs; each recipient still takes its own program's",
    (
        "disbursements",
        "allocations_create",
        "each = sum((goods.unit_price * quantity for goods, quantity in lines), )",
    ): ("a sum of rupiah amounts starting from 0 instead of Decimal(0): the same amount (lines are never empty here)"),
    **{
        ("disbursements", "handover_create", f"handover.full_clean(exclude={exclude})"): (
            "the photo and the signed scan may be empty: validating them too gives the same answer"
        )
        for exclude in (
            "None",
            '["XXphotoXX", "signed_scan"]',
            '["PHOTO", "signed_scan"]',
            '["photo", "XXsigned_scanXX"]',
            '["photo", "SIGNED_SCAN"]',
        )
    },
    **{
        ("disbursements", "handover_attach", f"getattr(handover, field).save(name, ContentFile(data), {save})"): (
            "saving the row as well when the file is stored writes the same values the next line saves"
        )
        for save in ("save=None", "", "save=True")
    },
    ("disbursements", "handover_attach", "handover.save(update_fields=None)"): _ALL_FIELDS,
    (
        "disbursements",
        "handover_attach",
        'kind = {"PDF": "pdf", "JPEG": "jpg", "PNG": "png"}.get(document_kind(data[:17]) or "")',
    ): "the signatures document_kind knows are at most 8 bytes long: 16 or 17 bytes read, the same kind",
    (
        "disbursements",
        "handover_attach",
        'kind = {"PDF": "pdf", "JPEG": "jpg", "PNG": "png"}.get(document_kind(data[:16]) or "XXXX")',
    ): 'a file of no known kind looks up the fallback, and neither "" nor "XXXX" is a kind: refused either way',
    ("disbursements", "allocation_void", "allocation.save(update_fields=None)"): _ALL_FIELDS,
    ("disbursements", "handover_void", "handover.save(update_fields=None)"): _ALL_FIELDS,
    (
        "monitoring",
        "handed_over_by",
        "_minus_months(today - datetime.timedelta(days=GRACE_DAYS), month, upper=None),",
    ): ("None is as false as False: the first BAST date of the range either way"),
    ("monitoring", "handed_over_by", "raise ValueError(None)"): (
        "the message of a programming error (a state that has no range); no user reaches it"
    ),
    **{
        (
            "monitoring",
            "criteria_save",
            f"for index, (name, row) in enumerate(zip(names, rows, {strict}))",
        ): "names is built from rows, one per row: the lengths always agree"
        for strict in ("strict=None", "", "strict=False")
    },
    ("monitoring", "percent", "return int((Decimal(readiness) * 100).quantize(Decimal(2), rounding=ROUND_HALF_UP))"): (
        "quantize reads only the exponent of its argument: Decimal(2) and Decimal(1) round the same"
    ),
    **{
        ("monitoring", "assessment_save", f"result = assessment_compute(handover, assessor_scores, {arg})"): (
            "without the criteria, assessment_compute reads the year's criteria: the ones just ensured"
        )
        for arg in ("None", "")
    },
    ("monitoring", "cochran", "if population < 0:"): (
        "an empty population gives 0 either way: its sample is min(0, …) = 0"
    ),
    ("complaints", "_next_number", "counter.save(update_fields=None)"): _ALL_FIELDS,
    ("complaints", "complaint_step", "complaint.save(update_fields=None)"): _ALL_FIELDS,
    **{
        ("complaints", "complaint_record", f"complaint.full_clean(exclude={exclude})"): (
            "the secret is always set before this line: validating it too gives the same answer"
        )
        for exclude in ("None", '["XXsecretXX"]', '["SECRET"]')
    },
    (
        "complaints",
        "complaint_step",
        "def complaint_step(*, complaint: Complaint, status: str, note: str, public: bool = False, "
        'outcome: str = "XXXX", actor):',
    ): "the outcome is read only when closing, and closing without one is refused either way",
    ("complaints", "complaint_step", "if status not in NEXT.get(complaint.status, ):"): (
        "every status has its entry in NEXT: the default is never used"
    ),
    ("complaints", "_record_on_linked", "for item in items.select_related(None):"): (
        "item_flag_for_review reads the item again under its lock: the same flags, the same queries"
    ),
    (
        "complaints",
        "complaint_lookup",
        'complaint = Complaint.objects.filter(number=(number or "XXXX").strip().upper()).first()',
    ): ("no number and a number no complaint has both find nothing"),
    (
        "complaints",
        "complaint_lookup",
        'if complaint is None or not hmac.compare_digest(complaint.secret, (secret or "XXXX").strip().upper()):',
    ): "no secret and a wrong secret are both refused (secrets are hexadecimal: never XXXX)",
    ("complaints", "derive_links", 'if item.group_id or data.get("group") is None:'): (
        "for a person's item it writes group = None where no group was given: the same complaint"
    ),
    ("complaints", "complaint_attach", 'name = _safe_name(getattr(upload, "name", None) or "")'): (
        "a missing name and None both become the empty name"
    ),
    ("complaints", "complaint_attach", 'if document_kind(data[:17]) == "PDF":'): (
        "the signatures document_kind knows are at most 8 bytes long: 16 or 17 bytes read, the same kind"
    ),
    **{
        ("complaints", "complaint_attach", f"attachment.file.save(stored, ContentFile(content), {save})"): (
            "saving the row as well when the file is stored writes the same values the next line saves"
        )
        for save in ("save=None", "", "save=True")
    },
    ("disbursements", "_next_sequence", "counter.save(update_fields=None)"): (
        "saving every field of the counter row writes the same values; only `last` changed"
    ),
}
