"""The Content-Security-Policy (issue 28, medium 2): enforced on every page, scripts only with the page's nonce,
nothing inline that the policy would refuse. A browser test fails on any violation (tests/conftest.py)."""

import json
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import OperatorFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]*\sstyle\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\s(src|type=\"application/json\")=?)[^>]*>", re.I)


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_carry_an_enforced_strict_policy(client, samarinda):
    client.force_login(OperatorFactory(regency=samarinda))
    response = client.get(reverse("home"))
    policy = _policy(response)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["base-uri"] == "base-uri 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["form-action"] == "form-action 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert len(scripts) >= 4
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag


@pytest.mark.django_db
def test_each_page_has_its_own_nonce(client):
    first = _policy(client.get(reverse("accounts:login")))["script-src"]
    second = _policy(client.get(reverse("accounts:login")))["script-src"]
    assert first != second


def test_no_template_has_an_inline_handler_style_or_script():
    """The policy would refuse them in the browser; caught here before a browser test opens the page."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for pattern, what in (
            (INLINE_HANDLER, "on…= handler"),
            (INLINE_STYLE, "style attribute"),
            (INLINE_SCRIPT, "inline script"),
        ):
            for match in pattern.finditer(text):
                found.append(f"{path.relative_to(TEMPLATES)}: {what}: {match.group(0)[:80]}")
    assert found == []


def test_htmx_runs_without_eval():
    base = (TEMPLATES / "base.html").read_text()
    assert '"allowEval": false' in base
    assert '"includeIndicatorStyles": false' in base
    assert not re.search(
        r'hx-trigger="[^"]*?(?<![:\w])[a-zA-Z]+\[', "".join(p.read_text() for p in TEMPLATES.rglob("*.html"))
    )


@pytest.mark.django_db
def test_a_violation_report_is_logged_and_answered_without_content(client, caplog):
    report = {
        "csp-report": {
            "violated-directive": "script-src-attr",
            "blocked-uri": "inline",
            "document-uri": "http://kube/usulan/",
            "source-file": "http://kube/usulan/",
            "line-number": 12,
        }
    }
    with caplog.at_level(logging.WARNING, logger="kubeprogram.csp"):
        response = client.post(reverse("csp_report"), json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    assert "script-src-attr blocked inline on http://kube/usulan/" in caplog.text
    assert client.post(reverse("csp_report"), b"x" * 20000, content_type="application/csp-report").status_code == 204


@pytest.mark.django_db
def test_a_nik_in_a_reported_address_never_reaches_the_log(client, caplog):
    report = {"csp-report": {"violated-directive": "img-src", "blocked-uri": "https://x.example/?nik=6472025708450001",
                             "document-uri": "http://kube/penduduk/?q=6472025708450001"}}  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="kubeprogram.csp"):
        client.post(reverse("csp_report"), json.dumps(report), content_type="application/csp-report")
    assert "6472025708450001" not in caplog.text and "647202**********" in caplog.text
