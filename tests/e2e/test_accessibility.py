"""axe-core finds no serious or critical violation on any page, for any role (WCAG 2.1 A and AA rules).

axe-core is vendored under tests/e2e/vendor (from the npm registry) and injected by the test; the app never loads
it. Every GET page of the access matrix that the role may open is checked, with a full set of data behind it."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from accounts.roles import Role
from tests.access.matrix import ACCESS, OWN
from tests.access.objects import Objects
from tests.factories import PASSWORD, factory_for_role

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
# Only the violations are reported in full: the passes and the rest, which nothing reads, are what takes axe its
# time (axe's own advice for speed); what it finds is the same.
RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SERIOUS = {"serious", "critical"}


def _pages(ctx, role) -> list[str]:
    urls = []
    for name, access in ACCESS.items():
        if access.method != "get" or access.expected(role, OWN) != 200:
            continue
        if name.startswith("admin:") or access.data:
            continue
        urls.append(reverse(name, kwargs=access.kwargs(ctx, OWN) if access.kwargs else None))
    return urls


def axe_violations(page) -> list[str]:
    """axe is in the page by the context's init script (page.context.add_init_script(AXE)), run by the test driver
    outside the page's Content-Security-Policy, which refuses inline scripts as it should. (Evaluating axe's
    source per check, as before, cost more than the check itself.)"""
    assert page.evaluate("() => Boolean(window.axe)"), "axe is not in the page: add_init_script(AXE) first"
    result = page.evaluate("options => axe.run(document, options)", RULES)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[(n['target'], n['html'][:120]) for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


WIDTHS = ((1366, 768), (390, 844))  # the office screen; the phone every role has


@pytest.mark.parametrize("role", list(Role))
def test_no_serious_accessibility_violation_on_any_page(page, login, live_server, samarinda, balikpapan, role):
    """On an office screen, and on a phone where wide tables scroll (axe scrollable-region-focusable): each page
    opened once and checked at both widths (the layout redone for the phone as a resize does it)."""
    page.context.add_init_script(AXE)  # in every page before its own scripts, outside the page's CSP
    page.set_viewport_size({"width": WIDTHS[0][0], "height": WIDTHS[0][1]})
    ctx = Objects({OWN: samarinda, "other": balikpapan})
    user = factory_for_role(role)(**({"regency": samarinda} if role == Role.OPERATOR else {}))
    login(user.username, PASSWORD)
    found = {}
    checked = 0
    for url in _pages(ctx, role):
        page.set_viewport_size({"width": WIDTHS[0][0], "height": WIDTHS[0][1]})
        try:
            response = page.goto(live_server.url + url)
        except PlaywrightError as error:  # a workbook or a PDF: the browser downloads it and stays where it was
            if "Download is starting" not in error.message:
                raise
            continue
        if response.status != 200 or "<html" not in response.text()[:200]:
            continue  # htmx fragments (they live inside a checked page)
        checked += 1
        for width, height in WIDTHS:
            if width != WIDTHS[0][0]:
                page.set_viewport_size({"width": width, "height": height})
                page.evaluate("() => window.kubeEnhance && window.kubeEnhance(document)")
            problems = axe_violations(page)
            if problems:
                found[f"{url} ({width} px)"] = problems
    assert checked > 10
    assert not found, "\n".join(f"{url}: {p}" for url, problems in found.items() for p in problems)


def _too_wide(page, live_server, pages, tmp_path, suffix="390") -> dict:
    too_wide = {}
    for name, url in pages.items():
        page.goto(live_server.url + url)
        page.screenshot(path=tmp_path / f"{name}-{suffix}.png", full_page=True)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            too_wide[url] = scroll
    return too_wide


def test_the_operators_pages_fit_a_390_pixel_phone(page, login, live_server, samarinda, balikpapan, tmp_path):
    """Wide tables scroll inside their box (app.js), not the page; charts, journey rows and print bars fit."""
    ctx = Objects({OWN: samarinda, "other": balikpapan})
    person, proposal = ctx["person"][OWN], ctx["proposal"][OWN]
    ctx["item"][OWN], ctx["handover"][OWN]  # a dashboard with money, stages and activity
    user = factory_for_role(Role.OPERATOR)(regency=samarinda)
    page.set_viewport_size({"width": 390, "height": 844})
    login(user.username, PASSWORD)
    pages = {
        "beranda": reverse("home"),
        "penduduk": person.get_absolute_url(),
        "kube": ctx["group"][OWN].get_absolute_url(),
        "penerima": ctx["handover"][OWN].allocation.item.person.get_absolute_url(),  # with the journey row
        "usulan": proposal.get_absolute_url(),
        "dasbor": reverse("reports:dashboard"),
        "daftar-usulan": reverse("proposals:proposal_list"),
        "bimtek": reverse("training:session_list"),
        "alokasi": reverse("disbursements:allocation_detail", args=[ctx["allocation"][OWN].pk]),
        "graduasi": reverse("monitoring:assessment_detail", args=[ctx["assessment"][OWN].pk]),
        "bast": ctx["handover"][OWN].get_absolute_url(),
        "monev": reverse("monitoring:worklist"),
    }
    assert not _too_wide(page, live_server, pages, tmp_path), "wider than 390 px"
    # A wide table says it scrolls, and its box takes the keyboard focus (axe scrollable-region-focusable).
    page.goto(live_server.url + reverse("reports:dashboard"))
    funnel = page.locator(".table-responsive:has([data-testid=funnel])")
    assert funnel.get_attribute("tabindex") == "0" and funnel.get_attribute("role") == "region"
    assert page.locator(".scroll-hint").first.is_visible()
    # The print pages are A4 by design; their print bar fits the phone.
    prints = {
        "cetak-bast": reverse("disbursements:handover_print", args=[ctx["handover"][OWN].pk]),
        "daftar-hadir": reverse("training:attendance_sheet", args=[ctx["session"][OWN].pk]),
    }
    for name, url in prints.items():
        page.goto(live_server.url + url)
        page.screenshot(path=tmp_path / f"{name}-390.png")
        box = page.locator(".print-bar").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)


def test_the_navbar_fits_a_1366_pixel_office_screen_with_a_long_name(page, login, live_server):
    admin = factory_for_role(Role.ADMIN_PROVINSI)(
        first_name="Hj. Siti Nurhalizah Rahmawati", last_name="Simanjuntak, S.Sos., M.Si."
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    login(admin.username, PASSWORD)
    page.goto(live_server.url + reverse("reports:dashboard"))
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    navbar_height = page.evaluate("document.querySelector('nav.navbar').getBoundingClientRect().height")
    assert scroll <= inner and navbar_height < 70  # one line, no horizontal scroll
