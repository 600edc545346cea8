"""Every action the code records has a name people read on the pages (no "Visit: create" in the activity feed)."""

import re
from pathlib import Path

from audit.labels import ACTION_LABELS

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "audit", "beneficiaries", "dtsen", "disbursements", "rechecks", "monitoring", "complaints",
        "fieldwork", "programs", "proposals", "regions", "reports", "training", "kubeprogram"]  # fmt: skip
LITERAL = re.compile(r'action="([a-z_]+\.[a-z_]+)"')


def test_every_recorded_action_has_an_indonesian_label():
    recorded = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            recorded |= set(LITERAL.findall(path.read_text()))
    assert recorded, "no actions found: the pattern no longer matches the code"
    missing = sorted(a for a in recorded if a not in ACTION_LABELS)
    assert missing == []
