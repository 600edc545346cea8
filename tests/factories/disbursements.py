from decimal import Decimal

import factory
from django.utils import timezone

from disbursements.models import GoodsItem, Package, PackageLine
from programs.models import BusinessType
from proposals.models import ItemStatus
from tests.factories.proposals import ProposalItemFactory


class GoodsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoodsItem

    name = factory.Sequence(lambda n: f"Mesin Jahit Portable {n}")
    unit = "unit"
    unit_price = Decimal("2500000")


class PackageFactory(factory.django.DjangoModelFactory):
    """A WRSE package of one sewing machine (Rp2.500.000) and two gas stoves (Rp750.000 each): Rp4.000.000."""

    class Meta:
        model = Package
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Paket Menjahit {n}")
    program = "WRSE"
    business_type = factory.LazyFunction(lambda: BusinessType.objects.get_or_create(name="Menjahit / Konveksi")[0])

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        if not create:
            return
        for goods, quantity in extracted or [
            (GoodsItemFactory(unit_price=Decimal("2500000")), 1),
            (GoodsItemFactory(name=f"Kompor Gas {self.pk}", unit_price=Decimal("750000")), 2),
        ]:
            PackageLine.objects.create(package=self, goods=goods, quantity=quantity)


class ApprovedItemFactory(ProposalItemFactory):
    """An approved WRSE recipient of Kota Samarinda in 2024."""

    status = ItemStatus.APPROVED


SCAN = b"%PDF-1.4\n% signed BAST\n%%EOF\n"


def _handover(allocation, *, signed: bool = True, **fields):
    """A BAST through the service; `signed` attaches the signed scan too (only then is it realised)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from disbursements.services import handover_attach, handover_create

    data = {
        "handed_over_on": timezone.localdate(),  # allocated today, after the factories' Bimtek of July 2024
        "place": "Kantor Dinas Sosial Kota Samarinda",
        "first_party_name": "Rina Wati, S.Sos",
        "first_party_nip": "198501012010012001",
        "first_party_position": "Kepala Bidang Pemberdayaan Sosial",
        "witness_name": "Drs. Ahmad Yani",
        "witness_nip": "197001011995031001",
        "witness_position": "Kepala Dinas Sosial",
        **fields,
    }
    handover = handover_create(allocation=allocation, data=data, actor=None)
    if signed:
        scan = SimpleUploadedFile("bast.pdf", SCAN, content_type="application/pdf")
        handover = handover_attach(handover=handover, field="signed_scan", upload=scan, actor=None)
    return handover


class HandoverFactory:
    """A BAST for an allocation whose recipient already attended Bimtek (through the service, so the
    number and lines are real). HandoverFactory(allocation=...)."""

    def __new__(cls, *, allocation, **fields):
        return _handover(allocation, **fields)
