"""Mutation score of the rule modules (`make mutation`): mutmut changes one thing at a time in a rule (a flipped
comparison, a constant ±1, a deleted call…) and runs only that module's own tests; a wrong rule that still passes
them "survives". Writes bench/mutation-report.md: per module, mutants killed, survivors and why each survivor is
harmless (the EQUIVALENT list below) or not.

    .venv/bin/python bench/mutation.py            # every rule module (a few minutes)
    .venv/bin/python bench/mutation.py identity   # one of them, by key

Each module runs in its own copy of the working tree (.mutation/<key>/), so the checkout is never touched and
the tests of other apps cannot rescue a rule (the disbursements tests must catch a broken Bimtek refusal on
their own). The copy runs on the embedded SQLite database: removing a `select_for_update()` cannot fail there;
those mutants are killed by tests/disbursements/test_row_locks.py on PostgreSQL and listed as such.
"""

import argparse
import ast
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("MUTATION_WORK", ROOT / ".mutation"))  # each module in WORK/<key>/
REPORT = ROOT / "bench" / "mutation-report.md"
RESULTS = ROOT / "bench" / "results"  # one JSON per module (committed), so a module can be re-run alone
TARGET_SCORE = 0.90


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


def export_tree(module: Module) -> Path:
    """A fresh copy of the checkout's tracked files as they are now (uncommitted edits included)."""
    target = WORK / module.key
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / name.decode()
        if source.is_file():
            destination = target / name.decode()
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    sources = list(module.functions)
    for path in sources:
        undecorate(target / path)
    copied = sorted(
        {p.split("/")[0] for p in (f.decode() for f in files if f) if "/" in p and not p.startswith(".")}
        | {"manage.py", "pyproject.toml"}
    )
    config = [
        "",
        "[tool.mutmut]",
        f"source_paths = {json.dumps(sources)}",
        f"also_copy = {json.dumps(copied)}",
        f"pytest_add_cli_args_test_selection = {json.dumps([t for t in module.tests if (target / t).exists()])}",
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]',
        "",
    ]
    with open(target / "pyproject.toml", "a") as pyproject:
        pyproject.write("\n".join(config))
    return target


def undecorate(path: Path) -> None:
    """mutmut leaves decorated functions alone, and our services are mostly `@transaction.atomic`: in the copy,
    `@deco def f` becomes `def f` followed by `f = deco(f)` (the same function at run time), so they are mutated."""
    source = path.read_text()
    lines = source.splitlines()
    edits = []  # (first line of the decorators, last line of the decorators, end of the function, assignment)
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            decorators = [ast.get_source_segment(source, d) for d in node.decorator_list]
            wrapped = node.name
            for decorator in reversed(decorators):
                wrapped = f"{decorator}({wrapped})"
            edits.append((node.decorator_list[0].lineno, node.lineno - 1, node.end_lineno, f"{node.name} = {wrapped}"))
    for first, last, end, assignment in reversed(edits):
        lines[end:end] = [assignment]
        del lines[first - 1 : last]
    path.write_text("\n".join(lines) + "\n")


def mutant_patterns(module: Module) -> list[str]:
    patterns = []
    for path, functions in module.functions.items():
        dotted = path.removesuffix(".py").replace("/", ".")
        patterns += [f"{dotted}.x_{name}__mutmut_*" for name in functions] or [f"{dotted}.*"]
    return patterns


def run(module: Module, *, again: bool = False) -> dict:
    """Run the module's mutants; with `again`, only those the stored results did not count as killed (after new
    tests), merged into the stored results."""
    previous = None
    patterns = mutant_patterns(module)
    if again:
        path = RESULTS / f"mutation-{module.key}.json"
        previous = json.loads(path.read_text())
        patterns = [name for name, r in previous["results"].items() if status_of(r["code"]) != "killed"]
        if not patterns:
            return previous | {"module": module}
    tree = export_tree(module)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REPLICA_DATABASE_URL"}}
    env.pop("REQUIRE_E2E", None)
    env.pop("REQUIRE_POSTGRES", None)
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-m", "mutmut", "run", *patterns],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.monotonic() - started
    if process.returncode:
        sys.stderr.write(process.stdout[-4000:] + process.stderr[-4000:])
        raise SystemExit(f"mutmut failed for {module.key}")
    results = {}
    for path, functions in module.functions.items():
        meta = json.loads((tree / "mutants" / (path + ".meta")).read_text())
        for name, code in meta["exit_code_by_key"].items():
            function = re.sub(r"__mutmut_\d+$", "", name.rsplit(".", 1)[1]).removeprefix("x_")
            if functions and function not in functions or again and name not in patterns:
                continue
            results[name] = {"path": path, "function": function, "code": code}
    for name, result in results.items():
        result["status"] = status_of(result["code"])
        if result["status"] != "killed":
            diff = subprocess.run(
                [sys.executable, "-m", "mutmut", "show", name], cwd=tree, env=env, capture_output=True, text=True
            ).stdout
            result["diff"] = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in {"+++", "---"}]
            added = " ".join(" ".join(line[1:].split()) for line in result["diff"] if line.startswith("+"))
            removed = " ".join(" ".join(line[1:].split()) for line in result["diff"] if line.startswith("-"))
            key = (module.key, result["function"], added or f"(deleted) {removed}")
            result["key"] = key
            result["reason"] = EQUIVALENT.get(key)
    if previous is not None:
        results = previous["results"] | results
        elapsed += previous["seconds"]
    outcome = {"module": module, "results": results, "seconds": elapsed, "date": f"{datetime.date.today():%Y-%m-%d}"}
    RESULTS.mkdir(exist_ok=True)
    stored = {k: v for k, v in outcome.items() if k != "module"}
    (RESULTS / f"mutation-{module.key}.json").write_text(json.dumps(stored, indent=1, default=list))
    return outcome


def status_of(code) -> str:
    """mutmut's exit code as our status; a timeout (36, or -24/24/152/255: over mutmut's CPU-time limit) means the
    mutant did not pass the tests, so it counts as killed."""
    if code in (1, 3, 36, -24, 24, 152, 255):
        return "killed"
    return {0: "survived", 33: "no tests", 5: "no tests"}.get(code, f"exit {code}")


def stored_outcomes() -> list[dict]:
    """The last run of every module (bench/results/), in MODULES order, with reasons refreshed from EQUIVALENT."""
    outcomes = []
    for module in MODULES:
        path = RESULTS / f"mutation-{module.key}.json"
        if not path.exists():
            continue
        outcome = json.loads(path.read_text()) | {"module": module}
        for result in outcome["results"].values():
            result["status"] = status_of(result["code"])
            if result.get("key"):
                result["key"] = tuple(result["key"])
                result["reason"] = EQUIVALENT.get(result["key"])
        outcomes.append(outcome)
    return outcomes


def summarise(outcome: dict) -> dict:
    results = outcome["results"].values()
    total = len(results)
    killed = sum(r["status"] == "killed" for r in results)
    equivalent = sum(r["status"] != "killed" and bool(r.get("reason")) for r in results)
    return {
        "total": total,
        "killed": killed,
        "equivalent": equivalent,
        "open": total - killed - equivalent,
        "score": killed / max(total - equivalent, 1),
        "raw": killed / max(total, 1),
    }


def previous_report() -> tuple[dict[str, str], dict[str, list[str]]]:
    """The summary row and the section of each module in the report as it stands, by title: a module whose
    stored results are not here (bench/results/ is new, or it was not run on this machine) keeps them."""
    rows: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    if not REPORT.exists():
        return rows, sections
    titles = {module.title for module in MODULES}
    current = None
    for line in REPORT.read_text().splitlines():
        cell = line.split(" | ")[0].removeprefix("| ")
        if line.startswith("| ") and cell in titles and "not run yet" not in line:
            rows[cell] = line
        if line.startswith("## "):
            current = line[3:] if line[3:] in titles else None
            if current:
                sections[current] = []
        if current:
            sections[current].append(line)
    return rows, sections


def write_report(outcomes: list[dict]) -> None:
    old_rows, old_sections = previous_report()
    lines = [
        "# Mutation score of the rule modules",
        "",
        "`make mutation` (mutmut, each module against its own tests only, SQLite). Score = killed / (mutants − "
        "equivalent); target ≥ 90% in every module. Removing a `select_for_update()` cannot fail on SQLite: those "
        "mutants are killed by tests/disbursements/test_row_locks.py and tests/beneficiaries on PostgreSQL.",
        "",
        "| module | run | mutants | killed | equivalent | open survivors | score | raw (killed / all) | time |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    done = {outcome["module"].key: outcome for outcome in outcomes}
    kept = [module for module in MODULES if module.key not in done and module.title in old_rows]
    for module in MODULES:
        if module.key in done:
            outcome, s = done[module.key], summarise(done[module.key])
            lines.append(
                f"| {module.title} | {outcome['date']} | {s['total']} | {s['killed']} | {s['equivalent']} | "
                f"{s['open']} | {s['score']:.0%} | {s['raw']:.0%} | {outcome['seconds']:.0f} s |"
            )
        elif module in kept:
            lines.append(old_rows[module.title])
        else:
            lines.append(f"| {module.title} | not run yet (`make mutation MODULES={module.key}`) | | | | | | | |")
    for module in kept:
        lines += ["", *old_sections.get(module.title, [])]
        while lines[-1] == "":
            lines.pop()
    for outcome in outcomes:
        module = outcome["module"]
        survivors = [(n, r) for n, r in sorted(outcome["results"].items()) if r["status"] != "killed"]
        lines += ["", f"## {module.title}", "", f"Mutated: {', '.join(_describe(module))}.  ", ""]
        lines[-1] = lines[-1].rstrip() + f" Tests: {', '.join(f'`{t}`' for t in module.tests)}."
        if not survivors:
            lines += ["", "Every mutant is killed."]
            continue
        lines += ["", "| mutant | change | status | why it is equivalent |", "|---|---|---|---|"]
        for name, result in survivors:
            change = "<br>".join(f"`{_cell(line)}`" for line in result["diff"])
            reason = _cell(result["reason"] or "**open**")
            lines.append(f"| {name.rsplit('.', 1)[1]} | {change} | {result['status']} | {reason} |")
    REPORT.write_text("\n".join(lines) + "\n")


def _describe(module: Module) -> list[str]:
    return [f"`{path}`" + (f" ({', '.join(fs)})" if fs else "") for path, fs in module.functions.items()]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")[:160]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("keys", nargs="*", help=f"modules ({', '.join(m.key for m in MODULES)}); default all")
    parser.add_argument("--keep", action="store_true", help="keep .mutation/ for `mutmut browse`")
    parser.add_argument("--report", action="store_true", help="only rewrite the report from the stored results")
    parser.add_argument(
        "--again", action="store_true", help="re-run only the mutants the stored results did not count as killed"
    )
    args = parser.parse_args()
    if args.report:
        write_report(stored_outcomes())
        return
    chosen = [m for m in MODULES if not args.keys or m.key in args.keys]
    outcomes = []
    for module in chosen:
        print(f"{module.title} …", flush=True)
        outcome = run(module, again=args.again)
        s = summarise(outcome)
        print(f"  {s['killed']}/{s['total']} killed, {s['equivalent']} equivalent, {s['open']} open: {s['score']:.0%}")
        for name, result in sorted(outcome["results"].items()):
            if result["status"] != "killed" and not result.get("reason"):
                print(f"  {result['status']}: {name}  {result['key']}")
        outcomes.append(outcome)
    write_report(stored_outcomes())
    if not args.keep:  # only the trees of this run: another run may be working beside it
        for module in chosen:
            shutil.rmtree(WORK / module.key, ignore_errors=True)
    print(f"Report: {REPORT.relative_to(ROOT)}")
    if any(summarise(o)["score"] < TARGET_SCORE for o in outcomes):
        sys.exit(1)


if __name__ == "__main__":
    main()
