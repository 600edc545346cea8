"""UU 27/2022: Pimpinan and Auditor never receive a whole NIK or No. KK — on any page, in any export, in any history.

Every GET page the matrix lets them open, and every export, is fetched with a full set of data (people, a KUBE, a
proposal with an uploaded workbook, an allocation, a BAST, Bimtek attendance, audit events that recorded NIKs), and
the bytes — workbooks unzipped — are searched for every NIK and KK in the registry."""

import io
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.roles import Role
from beneficiaries.models import Person
from beneficiaries.services import person_update
from core.formatting import mask_number
from tests.access.matrix import ACCESS, OTHER, OWN
from tests.access.objects import Objects
from tests.factories import PersonFactory, UploadFactory, factory_for_role
from tests.proposals.workbooks import build, wrse_row

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):  # a workbook: search its XML, not the compressed bytes
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return b"".join(archive.read(name) for name in archive.namelist())
    return content


def _full_data(samarinda, balikpapan) -> Objects:
    ctx = Objects({OWN: samarinda, OTHER: balikpapan})
    for key in ("handover", "group", "upload", "item", "person"):
        for scope in (OWN, OTHER):
            ctx[key][scope]
    # An upload whose stored workbook holds real NIKs, and audit events whose before/after recorded NIK and KK.
    person = ctx["person"][OWN]
    UploadFactory(proposal=ctx["proposal"][OWN], file=ContentFile(build([wrse_row(1, NIK=person.nik)]), name="u.xlsx"))
    changed = PersonFactory()
    person_update(person=changed, data={"kk_number": "6472039999000001", "phone": "081234567890"}, actor=None)
    return ctx


@pytest.mark.parametrize("role", [Role.PIMPINAN, Role.AUDITOR])
def test_no_whole_nik_or_kk_reaches_pimpinan_or_auditor(client, samarinda, balikpapan, role):
    ctx = _full_data(samarinda, balikpapan)
    secrets = {value.encode() for pair in Person.objects.values_list("nik", "kk_number") for value in pair}
    client.force_login(factory_for_role(role)())
    numbers = [value for pair in Person.objects.values_list("nik", "kk_number") for value in pair if value]
    seen = {number: set() for number in numbers}  # the digit positions (0-based) some page or export showed
    fetched = []
    for name, access in ACCESS.items():
        if access.method != "get":
            continue
        for scope in [OWN, OTHER] if access.scoped else [None]:
            if access.expected(role, scope) != 200:
                continue
            url = reverse(name, kwargs=access.kwargs(ctx, scope) if access.kwargs else None)
            data = access.data(ctx, scope) if callable(access.data) else access.data
            response = client.get(url, data)
            if response.status_code != 200:
                continue
            body = _body(response)
            leaked = [secret.decode() for secret in secrets if secret in body]
            assert not leaked, f"{role.label} received {leaked} from {url}"
            for number in numbers:
                seen[number] |= _revealed(number, body)
            fetched.append(name)
    # Nor a NIK or KK rebuilt: what these roles see gives the region (digits 1–6, from the address) and the birth
    # date with the sex (7–12, on the person page and in the people workbook); a mask must leave the four serial
    # digits (13–16) unknown, at least 10,000 candidates.
    for number, positions in seen.items():
        candidates = 10 ** len(set(range(12, 16)) - positions)
        assert candidates >= 10_000, f"{role.label} can narrow {number} to {candidates} candidate(s)"
    # Searching by a whole NIK is allowed; the answer stays masked.
    nik = ctx["person"][OWN].nik
    page = _body(client.get(reverse("beneficiaries:person_list"), {"q": nik})).decode()
    found = page[page.index('data-testid="person-table"') :]  # the search box repeats what was typed
    assert ctx["person"][OWN].full_name in found and nik not in found and mask_number(nik) in found
    # The crawl really covered the pages that show people, histories and workbooks.
    for name in ("beneficiaries:person_detail", "beneficiaries:person_export", "audit:event_list",
                 "reports:bnba_export", "disbursements:allocation_detail", "disbursements:handover_print"):  # fmt: skip
        if name in ACCESS and ACCESS[name].expected(role, OWN) == 200:
            assert name in fetched, name


def _revealed(number: str, body: bytes) -> set[int]:
    """The positions of `number` a masked rendering in `body` shows: any 16 characters of digits and '*' (at least
    one of each) whose digits agree with the number where they stand."""
    shown = set()
    for match in re.finditer(rb"(?<![0-9*])[0-9*]{16}(?![0-9*])", body):
        text = match.group().decode()
        if "*" not in text or text == "*" * 16:
            continue
        digits = {i for i, c in enumerate(text) if c != "*"}
        if all(text[i] == number[i] for i in digits):
            shown |= digits
    return shown


def test_the_audit_log_masks_nik_and_kk_in_before_and_after(client, samarinda):
    changed = PersonFactory()
    old_kk = changed.kk_number
    person_update(person=changed, data={"kk_number": "6472039999000001"}, actor=None)
    client.force_login(factory_for_role(Role.AUDITOR)())
    page = client.get(reverse("audit:event_list")).content.decode()
    assert "647203**********" in page and "6472039999000001" not in page and old_kk not in page


def test_every_download_of_an_uploaded_workbook_is_audited(client, samarinda):
    from audit.models import AuditEvent
    from tests.factories import OperatorFactory, ProposalFactory

    proposal = ProposalFactory()
    upload = UploadFactory(proposal=proposal, file=ContentFile(build([wrse_row(1)]), name="u.xlsx"))
    client.force_login(OperatorFactory())
    response = client.get(reverse("proposals:upload_errors", args=[proposal.pk, upload.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="proposal.upload_download")
    assert event.after["full_nik"] is True and event.regency_id == "64.72"
