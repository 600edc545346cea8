import pytest
from django.urls import reverse

from regions.models import District, Regency, Village
from regions.services import reference_data_load
from tests.factories import OperatorFactory, PimpinanFactory

pytestmark = pytest.mark.django_db


def test_reference_data_is_loaded_by_migration():
    assert Regency.objects.count() == 10
    assert District.objects.count() == 105
    assert Village.objects.filter(kind="desa").count() == 841
    assert Village.objects.filter(kind="kelurahan").count() == 197


def test_both_codes_are_kept_and_differ_where_they_should():
    kukar = Regency.objects.get(code="64.02")
    assert (kukar.bps_code, kukar.full_name) == ("6403", "Kabupaten Kutai Kartanegara")
    samarinda = Regency.objects.get(code="64.72")
    assert (samarinda.bps_code, samarinda.full_name, samarinda.nik_prefix) == ("6472", "Kota Samarinda", "6472")
    assert samarinda.population_total == samarinda.population_male + samarinda.population_female > 0


def test_village_kind_follows_the_code():
    for village in Village.objects.all()[:200]:
        suffix = village.code.rsplit(".", 1)[1]
        assert village.kind == ("kelurahan" if suffix.startswith("1") else "desa")


def test_loading_again_changes_nothing():
    before = (Regency.objects.count(), District.objects.count(), Village.objects.count())
    Regency.objects.filter(code="64.72").update(name="X")
    counts = reference_data_load()
    assert counts == {"regencies": 10, "districts": 105, "villages": 1038}
    assert (Regency.objects.count(), District.objects.count(), Village.objects.count()) == before
    assert Regency.objects.get(code="64.72").name == "Samarinda"


def test_regency_list_shows_counts_and_population(client, django_assert_max_num_queries):
    client.force_login(PimpinanFactory())
    client.get(reverse("home"))  # the first page after login renews the session
    # session, user, groups, regencies with counts
    with django_assert_max_num_queries(4):
        response = client.get(reverse("regions:regency_list"))
    content = response.content.decode()
    assert content.count("<tr>") == 11  # header + 10 regencies
    assert "Kabupaten Kutai Kartanegara" in content and "6403" in content
    assert "1.038" not in content  # desa and kelurahan are counted apart
    assert ">841<" in content and ">197<" in content and ">105<" in content


def test_operator_list_has_only_own_regency(client, balikpapan):
    client.force_login(OperatorFactory(regency=balikpapan))
    regencies = client.get(reverse("regions:regency_list")).context["regencies"]
    assert [r.code for r in regencies] == ["64.71"]


def test_regency_detail_lists_its_kecamatan(client, samarinda):
    client.force_login(OperatorFactory(regency=samarinda))
    response = client.get(reverse("regions:regency_detail", args=["64.72"]))
    districts = list(response.context["districts"])
    assert len(districts) == 10
    assert sum(d.kelurahan_count for d in districts) == response.context["regency"].kelurahan_count == 59
