"""What the verifier and the officer read on the proposal pages and the operator's home."""

import datetime

import pytest
from django.urls import reverse

from dtsen.services import import_snapshot
from proposals import services
from tests.factories import (
    CeilingFactory,
    OperatorFactory,
    PersonFactory,
    ProposalFactory,
    VerifikatorFactory,
)

pytestmark = pytest.mark.django_db


def _returned_proposal():
    """A Samarinda WRSE proposal that came back from the province with one of its two women returned."""
    proposal = ProposalFactory(with_documents=True)
    women = [
        PersonFactory(birth_date=datetime.date(1980, 3, 15), desil=2, dtks_id="DT-77", kk_number="6472030101010001"),
        PersonFactory(),
    ]
    items = services.proposal_add_people(proposal=proposal, people=women, actor=None)
    services.proposal_submit(proposal=proposal, actor=None)
    verifier = VerifikatorFactory()
    services.items_decide(proposal=proposal, items=items[:1], decision="approved", reason="", actor=verifier)
    services.items_decide(proposal=proposal, items=items[1:], decision="returned", reason="KTP buram", actor=verifier)
    services.proposal_finish_review(proposal=proposal, actor=verifier)
    return proposal, women


def test_the_verifiers_table_shows_birth_date_age_desil_dtks_and_a_masked_kk(client):
    proposal, _ = _returned_proposal()
    client.force_login(VerifikatorFactory())
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "15/03/1980" in page and "43 tahun" in page  # on 1 January 2024
    assert 'Desil 2 <span class="text-muted">(diketik; belum ada data DTSEN)' in page and "ID DTKS/DTSEN DT-77" in page
    assert "KK 647203**********" in page and "6472030101010001" not in page


def test_with_a_register_the_verifiers_table_shows_its_desil_and_period_not_the_typed_one(client):
    proposal, women = _returned_proposal()
    text = f"NIK;Nama;Desil;ID DTSEN\n{women[0].nik};{women[0].full_name};4;DS-1\n"
    import_snapshot(user=VerifikatorFactory(), data=text.encode(), file_name="q3.csv", period=datetime.date(2026, 7, 1),
                    source="Kemensos")  # fmt: skip
    client.force_login(VerifikatorFactory())
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "<strong>Desil 4 (DTSEN Triwulan III 2026)</strong>" in page and "di berkas usulan: desil 2" in page
    assert "ID DTKS/DTSEN DS-1" in page and "Belum terdaftar di DTSEN Triwulan III 2026" in page


def test_a_returned_proposal_reads_dikembalikan_in_the_list_and_on_the_operators_home(client):
    proposal, _ = _returned_proposal()
    CeilingFactory(target_count=742, amount=2_100_000_000)
    client.force_login(OperatorFactory())
    listing = client.get(reverse("proposals:proposal_list")).content.decode()
    assert "<td>Dikembalikan</td>" in listing and "<td>Draf</td>" not in listing
    home = client.get(reverse("home")).content.decode()
    assert "Dikembalikan" in home and "Buka usulan WRSE" in home
    assert "Pagu WRSE Kota Samarinda: <strong>Rp2.100.000.000</strong>" in home and "<strong>742</strong>" in home
    assert "Rp6.500.000.000" not in home  # the province's total is not the officer's ceiling


def test_the_person_page_leads_back_to_the_proposal_it_was_opened_from(client):
    proposal, women = _returned_proposal()
    client.force_login(VerifikatorFactory())
    page = client.get(women[0].get_absolute_url() + f"?usulan={proposal.pk}").content.decode()
    assert f'href="{proposal.get_absolute_url()}" data-testid="back-to-proposal"' in page
    plain = client.get(women[0].get_absolute_url()).content.decode()
    assert "back-to-proposal" not in plain and reverse("beneficiaries:person_list") in plain


def test_the_way_back_never_names_another_regencys_proposal(client, balikpapan):
    proposal, women = _returned_proposal()
    other = ProposalFactory(regency=balikpapan)
    client.force_login(OperatorFactory())
    page = client.get(women[0].get_absolute_url() + f"?usulan={other.pk}").content.decode()
    assert "back-to-proposal" not in page and "Balikpapan" not in page


def test_a_proposal_shows_the_regencys_real_target(client):
    proposal = ProposalFactory()
    client.force_login(OperatorFactory())
    assert "belum ditetapkan" in client.get(proposal.get_absolute_url()).content.decode()
    CeilingFactory(target_count=742, amount=2_100_000_000)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Kuota/Target: <strong>742</strong> penerima · pagu Rp2.100.000.000" in page


def test_the_latest_uploads_say_how_many_errors_each_had_counted_by_the_database(client):
    """The proposal page lists its latest uploads with their count of errors (warnings and saved files aside), counted
    in SQL: the problems of a large workbook are never loaded to be counted."""
    from proposals.models import Upload
    from proposals.selectors import uploads_latest

    proposal, operator = ProposalFactory(), OperatorFactory()
    problems = [
        {"row": 3, "column": "A", "message": "NIK tidak valid", "level": "error"},
        {"row": 4, "column": "O", "message": "Desil kosong", "level": "warning"},
        {"row": 5, "column": "C", "message": "Nama kosong"},  # an older upload's problem: no level means error
    ]
    for name, found in (("salah.xlsx", problems), ("benar.xlsx", problems[1:2])):
        Upload.objects.create(
            proposal=proposal, filename=name, sha256=name[0] * 64, problems=found, uploaded_by=operator
        )
    assert {u.filename: u.error_count for u in uploads_latest(proposal)} == {"salah.xlsx": 2, "benar.xlsx": 0}
    client.force_login(operator)
    page = " ".join(client.get(proposal.get_absolute_url()).content.decode().split())
    assert "salah.xlsx</a> (" in page and "2 kesalahan)" in page
    assert "benar.xlsx</a> (" in page and "siap disimpan)" in page
