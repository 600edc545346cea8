import factory
from django.core.files.base import ContentFile

from proposals.models import Proposal, ProposalItem, ProposedPerson, Upload
from regions.models import Regency
from tests.factories.beneficiaries import PersonFactory
from tests.factories.programs import BudgetYearFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class ProposalFactory(factory.django.DjangoModelFactory):
    """A draft WRSE proposal of Kota Samarinda for 2024 (pass regency= / program= for others)."""

    class Meta:
        model = Proposal
        django_get_or_create = ["regency", "budget_year", "program"]

    regency = factory.LazyFunction(lambda: Regency.objects.get(code="64.72"))
    budget_year = factory.SubFactory(BudgetYearFactory)
    program = "WRSE"

    class Params:
        with_documents = factory.Trait(
            cover_letter=factory.LazyFunction(lambda: ContentFile(PDF, name="surat.pdf")),
            minutes=factory.LazyFunction(lambda: ContentFile(PDF, name="berita-acara.pdf")),
        )


class ProposalItemFactory(factory.django.DjangoModelFactory):
    """A pending WRSE item, with its person recorded as proposed this year."""

    class Meta:
        model = ProposalItem
        skip_postgeneration_save = True

    proposal = factory.SubFactory(ProposalFactory)
    person = factory.SubFactory(PersonFactory, regency=factory.SelfAttribute("..proposal.regency"))

    @factory.post_generation
    def recorded(self, create, extracted, **kwargs):
        if create and self.person_id:
            ProposedPerson.objects.get_or_create(
                budget_year=self.proposal.budget_year, person=self.person, defaults={"item": self}
            )


class UploadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Upload

    proposal = factory.SubFactory(ProposalFactory)
    filename = "usulan.xlsx"
    sha256 = "0" * 64
    file = factory.LazyFunction(lambda: ContentFile(b"", name="usulan.xlsx"))
    uploaded_by = factory.SubFactory("tests.factories.users.OperatorFactory")
