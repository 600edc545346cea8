"""Jenis usaha as officers write them: the catalogue's names and synonyms in any spelling; the unknown kept."""

import pytest

from programs.business_types import UnlistedBusinessType, business_key, catalogue, match
from programs.models import BusinessType
from proposals import imports
from tests.factories import OperatorFactory, ProposalFactory
from tests.proposals.workbooks import build, wrse_row

pytestmark = pytest.mark.django_db

OFFICERS_WORDS = {
    "Gorengan": "Gorengan dan Jajanan",
    "Kue Basah": "Kue dan Roti",
    "Menjahit": "Menjahit / Konveksi",
    "Katering": "Katering",
    "Perikanan": "Perikanan Tangkap",
    "Pertanian": "Pertanian / Hortikultura",
}


def test_case_space_punctuation_and_accents_do_not_matter():
    assert business_key("  Kué   BASAH ") == business_key("kue-basah") == "kuebasah"


@pytest.mark.parametrize("written", ["gorengan", "GORENGAN ", "Goréngan", "jajanan"])
def test_the_shipped_catalogue_knows_what_officers_write(written):
    found = catalogue(list(BusinessType.objects.filter(is_active=True)))
    assert match(written, found).name == "Gorengan dan Jajanan"


def test_a_name_wins_over_another_types_synonym():
    found = catalogue([BusinessType(name="Ayam", synonyms=""), BusinessType(name="Peternakan", synonyms="ayam")])
    assert match("ayam", found).name == "Ayam"


def test_an_unknown_type_is_kept_verbatim():
    unknown = match("Jual  Ikan Bakar", {})
    assert isinstance(unknown, UnlistedBusinessType) and unknown == "Jual Ikan Bakar"


def test_a_fresh_install_accepts_a_25_row_samarinda_file_in_the_officers_words():
    words = list(OFFICERS_WORDS)
    rows = [wrse_row(n, **{"Jenis Usaha": words[n % len(words)]}) for n in range(1, 26)]
    proposal = ProposalFactory()
    upload = imports.upload_check(proposal=proposal, data=build(rows), filename="usulan.xlsx", actor=OperatorFactory())
    assert upload.problems == [] and upload.summary["valid_rows"] == 25
    imports.upload_commit(upload=upload, actor=None)
    saved = dict(proposal.items.values_list("source_row", "business_type__name"))
    assert len(saved) == 25
    for n in range(1, 26):
        assert saved[n + 1] == OFFICERS_WORDS[words[n % len(words)]]


def test_an_unknown_type_is_a_warning_and_saved_as_lainnya_with_the_officers_words():
    proposal = ProposalFactory()
    rows = [wrse_row(1, **{"Jenis Usaha": "Jual Ikan Bakar"}), wrse_row(2)]
    upload = imports.upload_check(proposal=proposal, data=build(rows), filename="usulan.xlsx", actor=OperatorFactory())
    assert upload.errors == []
    assert [(w["row"], w["header"], w["message"]) for w in upload.warnings] == [
        (
            2,
            "Jenis Usaha",
            "Jenis Usaha “Jual Ikan Bakar” belum ada di katalog; dicatat sebagai Lainnya: Jual Ikan Bakar.",
        )
    ]
    imports.upload_commit(upload=upload, actor=None)
    item = proposal.items.get(source_row=2)
    assert item.business_type.name == "Lainnya" and item.business_type_label == "Lainnya: Jual Ikan Bakar"
