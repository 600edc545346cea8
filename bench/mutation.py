"""Mutation score of the rule modules (`make mutation`): mutmut changes one thing at a time in a rule (a flipped
comparison, a constant ±1, a deleted call…) and runs only that module's own tests; a wrong rule that still passes
them "survives". Writes bench/mutation-report.md: per module, mutants killed, survivors and why each survivor is
harmless (EQUIVALENT, in bench/mutation_modules.py) or not.

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
from pathlib import Path

from mutation_modules import EQUIVALENT, MODULES, Module

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("MUTATION_WORK", ROOT / ".mutation"))  # each module in WORK/<key>/
REPORT = ROOT / "bench" / "mutation-report.md"
RESULTS = ROOT / "bench" / "results"  # one JSON per module (committed), so a module can be re-run alone
TARGET_SCORE = 0.90


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
