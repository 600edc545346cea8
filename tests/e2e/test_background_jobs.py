"""A large workbook through the browser: checked in the background (here inline, no broker), the officer lands
on the preview with what was found, saves — again in the background — and lands on the proposal; and the
progress page itself: a bar that moves by htmx polling and goes on to the result once the job is done."""

import re

import pytest
from playwright.sync_api import expect

from jobs.models import Job
from jobs.services import job_run
from proposals import imports
from tests.factories import PASSWORD, BudgetYearFactory, OperatorFactory, ProposalFactory
from tests.proposals.workbooks import build, wrse_row

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def large(settings, tmp_path):
    settings.MEDIA_ROOT, settings.BACKGROUND_IMPORT_ROWS = tmp_path / "media", 3


def test_a_large_workbook_is_checked_and_saved_in_the_background(page, login, live_server, tmp_path, large):
    BudgetYearFactory()
    proposal, officer = ProposalFactory(), OperatorFactory()
    upload = tmp_path / "usulan-besar.xlsx"
    upload.write_bytes(build([wrse_row(i) for i in range(1, 7)]))

    login(officer.username, PASSWORD)
    page.goto(live_server.url + proposal.get_absolute_url())
    page.get_by_label("Berkas Excel usulan").set_input_files(upload)
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page).to_have_url(re.compile(r"/usulan/\d+/unggah/\d+/$"))
    expect(page.get_by_role("alert").filter(has_text="6 baris diperiksa, tanpa kesalahan.")).to_be_visible()
    page.screenshot(path=tmp_path / "preview-from-job.png", full_page=True)

    page.get_by_role("button", name="Simpan ke usulan").click()
    expect(page).to_have_url(live_server.url + proposal.get_absolute_url())
    expect(page.get_by_role("alert").filter(has_text="Tersimpan: 6 calon penerima baru")).to_be_visible()
    assert proposal.items.count() == 6
    assert list(Job.objects.order_by("created_at").values_list("function", "status")) == [
        ("proposals.jobs.workbook_check", "selesai"),
        ("proposals.jobs.workbook_commit", "selesai"),
    ]


def test_the_progress_page_polls_and_goes_on_to_the_result(page, login, live_server, tmp_path, large):
    BudgetYearFactory()
    proposal, officer = ProposalFactory(), OperatorFactory()
    upload = imports.upload_check(proposal=proposal, data=build([wrse_row(i) for i in range(1, 5)]),
                                  filename="u.xlsx", actor=officer)  # fmt: skip
    job = Job.objects.create(user=officer, title="Penyimpanan u.xlsx", function="proposals.jobs.workbook_commit",
                             params={"proposal": proposal.pk, "upload": upload.pk, "valid_only": False})  # fmt: skip
    login(officer.username, PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})  # also on a phone
    page.goto(f"{live_server.url}/pekerjaan/{job.pk}/")
    status = page.get_by_test_id("job-status")
    expect(status).to_contain_text("Menunggu")
    expect(page.get_by_role("progressbar", name="Kemajuan")).to_have_attribute("aria-valuenow", "0")
    page.screenshot(path=tmp_path / "job-waiting.png", full_page=True)
    job_run(job.pk)  # the worker takes it; the page notices within a second and moves on
    expect(page).to_have_url(live_server.url + proposal.get_absolute_url(), timeout=10_000)
    expect(page.get_by_role("alert").filter(has_text="Tersimpan: 4 calon penerima baru")).to_be_visible()
    page.screenshot(path=tmp_path / "after-job.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
