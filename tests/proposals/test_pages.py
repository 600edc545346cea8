"""What the verifier and the officer read on the proposal pages and the operator's home."""

import datetime

import pytest
from django.urls import reverse

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
    assert "Desil 2" in page and "DTKS DT-77" in page
    assert "KK 647203**********" in page and "6472030101010001" not in page


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
