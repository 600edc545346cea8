import datetime

import factory

from beneficiaries.identity import make_nik, name_key
from beneficiaries.models import KubeGroup, KubeMember, MaritalStatus, MemberRole, Person, Sex
from programs.models import BusinessType
from regions.models import Regency, Village


def _village_of(regency: Regency, n: int) -> Village:
    villages = list(Village.objects.filter(district__regency=regency).order_by("code")[:20])
    return villages[n % len(villages)]


class PersonFactory(factory.django.DjangoModelFactory):
    """A registered person with a NIK that agrees with sex, birth date and region. Kota Samarinda by
    default; pass `regency=` for another."""

    class Meta:
        model = Person

    class Params:
        regency_obj = factory.LazyFunction(lambda: Regency.objects.get(code="64.72"))

    full_name = factory.Faker("name", locale="id_ID")
    sex = Sex.FEMALE
    # Born 1970–1994 whatever the sequence: an adult within the WRSE age bounds of any budget year 2024–2029.
    birth_date = factory.Sequence(lambda n: datetime.date(1970, 1, 1) + datetime.timedelta(days=(37 * n) % 9000))
    regency = factory.LazyAttribute(lambda o: o.regency_obj)
    village = factory.LazyAttributeSequence(lambda o, n: _village_of(o.regency, n))
    district = factory.LazyAttribute(lambda o: o.village.district)
    nik = factory.LazyAttributeSequence(
        lambda o, n: make_nik(o.village.district_id.replace(".", ""), o.birth_date, o.sex, 1000 + n)
    )
    kk_number = factory.Sequence(lambda n: f"6472{n:012d}")
    birth_place = "Samarinda"
    marital_status = MaritalStatus.WIDOWED
    address = factory.Faker("street_address", locale="id_ID")
    rt = "003"
    rw = "001"
    name_key = factory.LazyAttribute(lambda o: name_key(o.full_name))


class KubeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KubeGroup

    name = factory.Sequence(lambda n: f"KUBE Maju Bersama {n}")
    business_type = factory.LazyFunction(lambda: BusinessType.objects.order_by("id").first())
    regency = factory.LazyFunction(lambda: Regency.objects.get(code="64.72"))
    village = factory.LazyAttributeSequence(lambda o, n: _village_of(o.regency, n))
    district = factory.LazyAttribute(lambda o: o.village.district)


class KubeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KubeMember

    group = factory.SubFactory(KubeGroupFactory)
    person = factory.SubFactory(PersonFactory, regency=factory.SelfAttribute("..group.regency"))
    role = MemberRole.MEMBER
