"""Post-distribution verification: the sample size (Cochran, finite population), the seeded draw that can be
redone, and recording what was found."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from disbursements.services import handover_void
from monitoring import sampling, services
from monitoring.models import VerificationResult, VerificationSample
from regions.models import Regency
from tests.access.objects import jpeg
from tests.factories import ApprovedItemFactory, VerifikatorFactory
from tests.monitoring.conftest import deliver


@pytest.mark.parametrize(
    ("population", "confidence", "margin", "size"),
    [
        (1000, 95, 5, 278),  # n0 = 384.15; 1000·384.15 / 1383.15 = 277.7
        (100, 95, 5, 80),
        (50, 90, 10, 29),
        (10_000, 99, 5, 623),
        (1, 99, 5, 1),  # never more than the population
        (5, 99, 5, 5),
        (0, 95, 5, 0),
    ],
)
def test_cochran_with_finite_population_correction(population, confidence, margin, size):
    assert sampling.cochran(population, confidence, margin) == size


def test_z_comes_from_the_normal_quantile():
    assert [round(sampling.z_score(c), 4) for c in (90, 95, 99)] == [1.6449, 1.96, 2.5758]
    with pytest.raises(ValueError):
        sampling.z_score(100)


def test_a_draw_is_the_same_for_the_same_seed_and_population_in_any_order():
    ids = list(range(1, 501))
    first = sampling.draw(ids, 20, seed=12345)
    assert sampling.draw(list(reversed(ids)), 20, seed=12345) == first
    assert len(set(first)) == 20 and set(first) <= set(ids)
    assert sampling.draw(ids, 20, seed=12346) != first


pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered_five():
    handovers = [deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10)) for _ in range(5)]
    handover_void(handover=handovers[-1], reason="Salah penerima", actor=None)  # voided: not in the population
    return handovers[:4]


def test_a_random_sample_is_drawn_stored_and_can_be_redone(delivered_five):
    samarinda = Regency.objects.get(code="64.72")
    actor = VerifikatorFactory()
    sample = services.sample_draw(
        budget_year=delivered_five[0].budget_year,
        regency=samarinda,
        method="acak",
        confidence=90,
        margin=15,
        actor=actor,
    )
    assert sample.population == 4 and sample.size == sampling.cochran(4, 90, 15) == 4
    chosen = list(sample.results.order_by("position").values_list("handover_id", flat=True))
    assert chosen == sampling.draw(sample.population_ids, sample.size, sample.seed)
    assert sample.population_ids == [h.pk for h in delivered_five]
    event = AuditEvent.objects.get(action="verification_sample.draw")
    assert event.actor == actor and event.after["seed"] == sample.seed and event.after["chosen"] == chosen
    with pytest.raises(ValidationError, match="sudah ditarik"):
        services.sample_draw(
            budget_year=sample.budget_year, regency=samarinda, method="semua", confidence=None, margin=None, actor=actor
        )


def test_the_whole_population_or_nothing_to_draw(delivered_five, balikpapan):
    year = delivered_five[0].budget_year
    with pytest.raises(ValidationError, match="Belum ada penerima"):
        services.sample_draw(
            budget_year=year, regency=balikpapan, method="semua", confidence=None, margin=None, actor=None
        )
    with pytest.raises(ValidationError) as refused:
        services.sample_draw(budget_year=year, regency=balikpapan, method="acak", confidence=80, margin=1, actor=None)
    assert refused.value.message_dict == {
        "confidence": ["Pilih tingkat kepercayaan 90, 95 atau 99%."],
        "margin": ["Pilih batas kesalahan 5, 10 atau 15%."],
    }
    samarinda = Regency.objects.get(code="64.72")
    sample = services.sample_draw(
        budget_year=year, regency=samarinda, method="semua", confidence=95, margin=5, actor=None
    )
    assert (sample.size, sample.confidence, sample.margin) == (4, None, None)
    assert list(sample.results.values_list("handover_id", flat=True)) == [h.pk for h in delivered_five]
    assert VerificationSample.objects.count() == 1


def _sampled(delivered_five):
    sample = services.sample_draw(
        budget_year=delivered_five[0].budget_year,
        regency=Regency.objects.get(code="64.72"),
        method="semua",
        confidence=None,
        margin=None,
        actor=None,
    )
    return sample.results.select_related("handover").first()


def test_a_finding_is_recorded_per_goods_line_with_a_note_and_photo(delivered_five, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    result = _sampled(delivered_five)
    found = list(result.handover.lines.select_related("goods"))
    lines = [str(line.pk) for line in found]
    day = datetime.date(2025, 3, 1)
    with pytest.raises(ValidationError) as refused:
        services.verification_record(result=result, data={"outcome": "tidak_lengkap", "checked_on": day}, actor=None)
    assert refused.value.message_dict == {
        "lines": [
            f"{line.goods}: isi berapa {line.goods.get_unit_display()} yang ada dan baik, rusak atau tidak ada."
            for line in found
        ],
        "note": ["Tulis catatan: apa yang ditemukan."],
    }
    all_fine = dict.fromkeys(lines, "baik")
    with pytest.raises(ValidationError, match="Tandai berapa barang yang rusak atau tidak ada"):
        services.verification_record(
            result=result,
            data={"outcome": "tidak_lengkap", "checked_on": day, "lines": all_fine, "note": "x"},
            actor=None,
        )
    data = {
        "outcome": "tidak_lengkap",
        "checked_on": day,
        "lines": all_fine | {lines[0]: "rusak"},
        "note": "Mesin retak",
    }
    recorded = services.verification_record(
        result=result, data=data, photo=SimpleUploadedFile("f.jpg", jpeg((2400, 1800))), actor=None
    )
    assert recorded.is_discrepancy and recorded.lines[lines[0]] == {"rusak": found[0].quantity}
    assert recorded.lines[lines[1]] == {"baik": found[1].quantity}  # stored as units by finding
    assert recorded.photo.name.endswith(".jpg")
    assert AuditEvent.objects.get(action="verification.record").after["outcome"] == "tidak_lengkap"
    # corrected later: the event keeps before and after
    services.verification_record(result=result, data={"outcome": "sesuai", "checked_on": day}, actor=None)
    corrected = AuditEvent.objects.filter(action="verification.record").latest("id")
    assert (corrected.before["outcome"], corrected.after["outcome"]) == ("tidak_lengkap", "sesuai")
    assert VerificationResult.objects.get(pk=result.pk).lines == {}


def test_the_check_date_is_between_the_bast_and_today(delivered_five):
    result = _sampled(delivered_five)
    for day, message in [
        (None, "Tanggal pemeriksaan wajib diisi."),
        (datetime.date(2025, 1, 9), "Tanggal pemeriksaan tidak boleh sebelum serah terima (10 Januari 2025)."),
        (datetime.date.today() + datetime.timedelta(days=1), "Tanggal pemeriksaan tidak boleh di masa depan."),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.verification_record(result=result, data={"outcome": "sesuai", "checked_on": day}, actor=None)
        assert refused.value.message_dict == {"checked_on": [message]}


def test_the_verifier_draws_and_records_through_the_pages(client, delivered_five, settings, tmp_path):
    from django.urls import reverse

    from tests.factories import OperatorFactory

    settings.MEDIA_ROOT = tmp_path
    client.force_login(VerifikatorFactory())
    url = reverse("monitoring:sample_list")
    response = client.post(
        url + "?tahun=2024", {"regency": "64.72", "method": "acak", "confidence": "95", "margin": "10"}
    )
    sample = VerificationSample.objects.get()
    assert response.status_code == 302 and response["Location"] == sample.get_absolute_url()
    assert sample.size == sampling.cochran(4, 95, 10)
    result = sample.results.first()
    record = reverse("monitoring:result_record", args=[result.pk])
    form = client.get(record).content.decode()
    assert 'capture="environment"' in form and "Diterima sesuai BAST" in form
    response = client.post(
        record,
        {
            "outcome": "tidak_diterima",
            "checked_on": "2025-03-01",
            "note": "Barang dibawa ketua RT",
            "photo": SimpleUploadedFile("a.jpg", jpeg()),
        },
    )
    assert response.status_code == 302
    page = client.get(sample.get_absolute_url()).content.decode()
    assert "Temuan (1)" in page and "Barang dibawa ketua RT" in page
    listing = client.get(url, {"tahun": 2024})
    [summary] = listing.context["samples"]
    assert (summary.checked, summary.n_tidak_diterima) == (1, 1)
    # the regency's operator reads it; another regency's does not find it
    client.force_login(OperatorFactory())
    assert client.get(sample.get_absolute_url()).status_code == 200
    assert client.post(url + "?tahun=2024", {"regency": "64.72", "method": "semua"}).status_code == 403


def test_confidence_and_margin_are_refused_outside_their_open_ranges():
    from monitoring import sampling

    for confidence in (0, 100, 101):
        with pytest.raises(ValueError, match=str(confidence)):
            sampling.z_score(confidence)
    assert sampling.z_score(1) > 0 and sampling.z_score(99) > sampling.z_score(95)
    for margin in (0, 100, 101):
        with pytest.raises(ValueError, match=str(margin)):
            sampling.cochran(50, 95, margin)
    assert sampling.cochran(50, 95, 1) == 50 and sampling.cochran(10_000, 95, 99) == 1
    assert sampling.cochran(0, 95, 5) == 0 and sampling.cochran(1, 95, 5) == 1
    assert sampling.cochran(9, 90, 10) == 9  # N·n0 / (n0 + N − 1): the correction for a finite population
    assert sampling.cochran(1_000, 95, 5) == 278


def test_goods_left_uncounted_are_highlighted_where_the_officer_must_count(client, delivered_five):
    """The officer counts the units of each line found good, damaged or missing: a line left empty is named on top
    and its boxes marked; with every unit good, all lines are marked; counts that do not add up are said under the
    line; the result is kept as units and shown again when corrected, and in the sample's findings."""
    from django.urls import reverse

    client.force_login(VerifikatorFactory())
    sample = services.sample_draw(
        budget_year=delivered_five[0].budget_year, regency=delivered_five[0].regency, method="semua",
        confidence=None, margin=None, actor=None,
    )  # fmt: skip
    result = sample.results.select_related("handover").first()
    lines = list(result.handover.lines.select_related("goods").order_by("pk"))
    assert len(lines) >= 2
    first, second = lines[0], lines[1]
    record = reverse("monitoring:result_record", args=[result.pk])
    data = {"outcome": "tidak_lengkap", "checked_on": "2025-03-01", "note": "Satu barang rusak"}
    response = client.post(record, {**data, f"line_{first.pk}_rusak": first.quantity})
    form = response.context["form"]
    unit = second.goods.get_unit_display()
    assert response.status_code == 200
    assert f"{second.goods}: isi berapa {unit} yang ada dan baik, rusak atau tidak ada." in form.non_field_errors()
    html = response.content.decode()
    [box] = re.findall(rf'<input[^>]*name="line_{second.pk}_baik"[^>]*>', html)
    assert "is-invalid" in box
    [box] = re.findall(rf'<input[^>]*name="line_{first.pk}_rusak"[^>]*>', html)
    assert "is-invalid" not in box and f'value="{first.quantity}"' in box  # kept as typed
    complete = {f"line_{line.pk}_baik": line.quantity for line in lines}
    html = client.post(record, {**data, **complete}).content.decode()
    assert all("is-invalid" in re.findall(rf'<input[^>]*name="line_{line.pk}_baik"[^>]*>', html)[0] for line in lines)
    form = client.post(record, {**data, **complete, f"line_{first.pk}_tidak_ada": 1}).context["form"]
    assert form.errors[f"line_{first.pk}_baik"][0].startswith(f"Jumlah per kondisi {first.quantity + 1}, padahal")
    split = {**complete, f"line_{first.pk}_baik": first.quantity - 1, f"line_{first.pk}_rusak": 1}
    if first.quantity == 1:
        split = {**complete, f"line_{first.pk}_baik": "", f"line_{first.pk}_rusak": 1}
    assert client.post(record, {**data, **split}).status_code == 302
    result.refresh_from_db()
    expected = {"rusak": 1} | ({"baik": first.quantity - 1} if first.quantity > 1 else {})
    assert result.lines[str(first.pk)] == expected
    again = client.get(record).content.decode()
    assert re.search(rf'<input[^>]*name="line_{first.pk}_rusak"[^>]*value="1"', again)
    page = client.get(sample.get_absolute_url()).content.decode()
    assert f"{first.goods.name}: " in page and "rusak 1" in page


def test_the_sample_page_shows_how_it_was_drawn_and_gives_the_field_team_a_list(client, delivered_five):
    """Method, confidence, margin, N and Cochran's formula with its numbers; a printable list and a workbook of the
    sampled recipients in the order drawn (audited, no query per row)."""
    import io

    from openpyxl import load_workbook

    client.force_login(VerifikatorFactory())
    first = delivered_five[0]
    sample = services.sample_draw(
        budget_year=first.budget_year, regency=first.regency, method="acak", confidence=95, margin=10, actor=None
    )
    page = client.get(sample.get_absolute_url())
    working = page.context["working"]
    assert (working.population, working.size) == (sample.population, sample.size)
    assert round(working.z, 4) == 1.96 and round(working.n0, 2) == 96.04
    html = page.content.decode()
    assert "z = 1,9600" in html and "n₀ = z² · p(1 − p) / e²" in html and f"= <strong>{sample.size}</strong>" in html
    assert f"random.Random({sample.seed})" in html and "Cetak daftar untuk tim lapangan" in html
    response = client.get(sample.get_absolute_url(), {"unduh": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [row for row in sheet.iter_rows(min_row=7, values_only=True) if row[0]]
    numbers = list(sample.results.order_by("position").values_list("handover__number", flat=True))
    assert [row[5] for row in rows] == numbers and all(row[2] and row[3] for row in rows)
    assert AuditEvent.objects.filter(action="sample.export", object_id=str(sample.pk)).count() == 1


def test_a_supplementary_draw_takes_only_the_basts_made_since_and_is_reproducible_on_its_own(client):
    """Samarinda drawn in full with 2 BASTs; 6 more BASTs made afterwards are drawn as a supplementary sample of their
    own (random, 95 % ± 10 %): its population is those 6 alone, stored with its seed, so the draw can be redone;
    the first sample is untouched; with nothing new, no further draw; a first draw again points to the
    supplementary one."""
    from django.urls import reverse

    samarinda = Regency.objects.get(code="64.72")
    first_basts = [deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10)) for _ in range(2)]
    budget_year = first_basts[0].budget_year
    first = services.sample_draw(
        budget_year=budget_year, regency=samarinda, method="semua", confidence=None, margin=None, actor=None
    )
    with pytest.raises(ValidationError, match="Belum ada BAST baru Kota Samarinda sejak penarikan ke-1"):
        services.sample_supplement(sample=first, method="semua", confidence=None, margin=None, actor=None)
    later = [deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 3, 1)) for _ in range(6)]
    verifier = VerifikatorFactory()
    client.force_login(verifier)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "6 BAST baru" in page and "Tarik sampel tambahan" in page
    response = client.post(
        reverse("monitoring:sample_supplement", args=[first.pk]), {"method": "acak", "confidence": 95, "margin": 10}
    )
    extra = VerificationSample.objects.get(draw=2)
    assert response.status_code == 302 and response["Location"] == extra.get_absolute_url()
    assert extra.population_ids == sorted(h.pk for h in later) and extra.population == 6
    assert extra.size == sampling.cochran(6, 95, 10)
    chosen = list(extra.results.order_by("position").values_list("handover_id", flat=True))
    assert chosen == sampling.draw(extra.population_ids, extra.size, extra.seed)  # redone from what is stored
    assert set(first.results.values_list("handover_id", flat=True)) == {h.pk for h in first_basts}
    event = AuditEvent.objects.get(action="verification_sample.draw", object_id=str(extra.pk))
    assert (event.actor, event.after["draw"], event.after["chosen"]) == (verifier, 2, chosen)
    page = client.get(extra.get_absolute_url()).content.decode()
    assert "Sampel Tambahan ke-1" in page and "N = 6 BAST" in page
    assert "ke-1 (2 dari 2)" in page and f"ke-2 ({extra.size} dari 6)" in page
    assert "Belum ada BAST baru sejak penarikan terakhir" in page
    listing = client.get(reverse("monitoring:sample_list"), {"tahun": budget_year.year}).content.decode()
    assert "tambahan ke-1" in listing
    response = client.post(reverse("monitoring:sample_supplement", args=[first.pk]), {"method": "semua"}, follow=True)
    assert "Belum ada BAST baru Kota Samarinda sejak penarikan ke-2" in response.content.decode()
    assert VerificationSample.objects.count() == 2
    with pytest.raises(ValidationError, match="sampel tambahan"):
        services.sample_draw(
            budget_year=budget_year, regency=samarinda, method="semua", confidence=None, margin=None, actor=None
        )
