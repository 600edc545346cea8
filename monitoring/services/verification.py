"""Writes of post-distribution verification: a sample drawn (and supplementary draws for BASTs made later), what the
verifier found for each sampled recipient. Each change leaves an audit event."""

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record, snapshot
from core import photos
from core.formatting import date_long
from monitoring import sampling, units
from monitoring.models import (
    Outcome,
    SampleMethod,
    UnitFinding,
    VerificationResult,
    VerificationSample,
)
from monitoring.selectors.verification import delivered_ids, sample_newcomers
from monitoring.signals import verification_recorded


def _sample_method(method: str, confidence, margin) -> tuple:
    if method not in SampleMethod.values:
        raise ValidationError({"method": ["Pilih cara: semua penerima atau sampel acak."]})
    if method != SampleMethod.RANDOM:
        return None, None
    problems = {}
    if confidence not in sampling.CONFIDENCE_LEVELS:
        problems["confidence"] = ["Pilih tingkat kepercayaan 90, 95 atau 99%."]
    if margin not in sampling.MARGINS:
        problems["margin"] = ["Pilih batas kesalahan 5, 10 atau 15%."]
    if problems:
        raise ValidationError(problems)
    return confidence, margin


def _sample(*, budget_year, regency, draw, population, method, confidence, margin, actor) -> VerificationSample:
    size = len(population) if method == SampleMethod.ALL else sampling.cochran(len(population), confidence, margin)
    seed = secrets.randbits(48)
    chosen = population if method == SampleMethod.ALL else sampling.draw(population, size, seed)
    try:
        with transaction.atomic():
            sample = VerificationSample.objects.create(
                budget_year=budget_year,
                regency=regency,
                draw=draw,
                method=method,
                confidence=confidence,
                margin=margin,
                population=len(population),
                size=size,
                seed=seed,
                population_ids=population,
                created_by=actor if actor is not None and actor.is_authenticated else None,
            )
    except IntegrityError:  # the same draw made at the same moment by someone else
        raise ValidationError(f"Sampel {regency} {budget_year} baru saja ditarik petugas lain.") from None
    VerificationResult.objects.bulk_create(
        [
            VerificationResult(sample=sample, handover_id=pk, regency=regency, position=index)
            for index, pk in enumerate(chosen, start=1)
        ]
    )
    audit_record(
        actor=actor,
        action="verification_sample.draw",
        obj=sample,
        after={
            "draw": draw,
            "method": method,
            "confidence": confidence,
            "margin": margin,
            "population": len(population),
            "size": size,
            "seed": seed,
            "chosen": chosen,
        },
    )
    return sample


@transaction.atomic
def sample_draw(*, budget_year, regency, method: str, confidence: int | None, margin: int | None, actor):
    """Draw the recipients of a regency and year to verify (all, or a Cochran-sized random sample), once per
    regency and year; the seed and population are stored so the draw can be redone. Audited. BASTs made later
    are drawn by sample_supplement."""
    confidence, margin = _sample_method(method, confidence, margin)
    if VerificationSample.objects.filter(budget_year=budget_year, regency=regency).exists():
        raise ValidationError(
            f"Sampel {regency} {budget_year} sudah ditarik; sampel tidak ditarik ulang. BAST yang dibuat sesudahnya "
            "ditarik sebagai sampel tambahan dari halaman sampel itu."
        )
    population = delivered_ids(budget_year, regency)
    if not population:
        raise ValidationError(f"Belum ada penerima {regency} {budget_year} yang menerima barang (BAST).")
    return _sample(
        budget_year=budget_year, regency=regency, draw=1, population=population, method=method,
        confidence=confidence, margin=margin, actor=actor,
    )  # fmt: skip


@transaction.atomic
def sample_supplement(*, sample: VerificationSample, method: str, confidence, margin, actor) -> VerificationSample:
    """A supplementary draw for the BASTs made after the earlier draws of a regency and year: its own population,
    method, seed and results, reproducible on its own. Audited."""
    confidence, margin = _sample_method(method, confidence, margin)
    # one draw at a time per regency and year: the earlier draws are locked while the new one is made
    earlier = list(
        VerificationSample.objects.select_for_update()
        .filter(budget_year_id=sample.budget_year_id, regency_id=sample.regency_id)
        .order_by("draw")
    )
    population = sample_newcomers(sample)
    if not population:
        last = earlier[-1]
        raise ValidationError(
            f"Belum ada BAST baru {sample.regency} sejak penarikan ke-{last.draw} "
            f"({date_long(timezone.localtime(last.created_at).date())}); sampel tambahan belum dapat ditarik."
        )
    return _sample(
        budget_year=sample.budget_year, regency=sample.regency, draw=earlier[-1].draw + 1, population=population,
        method=method, confidence=confidence, margin=margin, actor=actor,
    )  # fmt: skip


def verification_problems(result: VerificationResult, data: dict[str, Any]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    outcome, lines = data.get("outcome"), data.get("lines") or {}
    if outcome not in Outcome.values:
        problems["outcome"] = ["Pilih hasil pemeriksaan."]
    day = data.get("checked_on")
    if day is None:
        problems["checked_on"] = ["Tanggal pemeriksaan wajib diisi."]
    elif day > timezone.localdate():
        problems["checked_on"] = ["Tanggal pemeriksaan tidak boleh di masa depan."]
    elif day < result.handover.handed_over_on:
        problems["checked_on"] = [
            f"Tanggal pemeriksaan tidak boleh sebelum serah terima ({date_long(result.handover.handed_over_on)})."
        ]
    if outcome == Outcome.INCOMPLETE:
        found = _found_units(result, lines)
        if isinstance(found, list):
            problems["lines"] = found
        elif all(set(counts) == {UnitFinding.GOOD} for counts in found.values()):
            problems["lines"] = ["Tandai berapa barang yang rusak atau tidak ada."]
    if (
        outcome in (Outcome.INCOMPLETE, Outcome.NOT_RECEIVED, Outcome.NOT_FOUND)
        and not (data.get("note") or "").strip()
    ):
        problems["note"] = ["Tulis catatan: apa yang ditemukan."]
    return problems


def _found_units(result: VerificationResult, lines: dict) -> dict[str, dict[str, int]] | list[str]:
    """The units found of each goods line ({line id: {UnitFinding: units}}), or what is wrong with them."""
    expected = {str(line.pk): line for line in result.handover.lines.all()}
    if set(k for k, v in lines.items() if v) - set(expected):
        return ["Barang yang diperiksa bukan barang BAST ini."]
    found, messages = {}, []
    for pk, line in expected.items():
        name, unit = str(line.goods), line.goods.get_unit_display()
        try:
            counts = units.normalise(lines.get(pk), line.quantity)
        except ValueError as error:
            messages.append(f"{name}: {error}.")
            continue
        if not counts:
            messages.append(f"{name}: isi berapa {unit} yang ada dan baik, rusak atau tidak ada.")
            continue
        message = units.problem(name, line.quantity, unit, counts, UnitFinding.values)
        if message:
            messages.append(message)
        found[pk] = counts
    return messages or found


@transaction.atomic
def verification_record(*, result: VerificationResult, data: dict[str, Any], photo=None, actor) -> VerificationResult:
    """Record (or correct) what the verifier found for one sampled recipient, with an optional photo. Audited."""
    result = VerificationResult.objects.select_for_update(of=("self",)).select_related("handover").get(pk=result.pk)
    problems = verification_problems(result, data)
    if problems:
        raise ValidationError(problems)
    before = snapshot(result, ["outcome", "lines", "note", "checked_on", "photo"]) if result.outcome else None
    result.outcome = data["outcome"]
    result.lines = _found_units(result, data.get("lines") or {}) if result.outcome == Outcome.INCOMPLETE else {}
    result.note = (data.get("note") or "").strip()
    result.checked_on = data["checked_on"]
    result.checked_by = actor if actor is not None and actor.is_authenticated else None
    if photo is not None:
        if photo.size > settings.VISIT_PHOTO_MAX_BYTES:
            raise ValidationError({"photo": ["Foto terlalu besar."]})
        try:
            prepared = photos.prepare(photo.read())
        except photos.PhotoRefused as refused:
            raise ValidationError({"photo": [str(refused)]}) from None
        result.photo.save(f"{result.pk}.jpg", ContentFile(prepared.content), save=False)
    result.save()
    audit_record(
        actor=actor,
        action="verification.record",
        obj=result,
        before=before,
        after=snapshot(result, ["outcome", "lines", "note", "checked_on", "photo"]),
    )
    verification_recorded.send(sender=VerificationResult, result=result, actor=actor)
    return result
