import factory
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role
from regions.models import Regency

PASSWORD = "rahasia-uji-123"


class UserFactory(factory.django.DjangoModelFactory):
    """A user without a role (sees nothing). Use the role factories below in tests."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    password = factory.django.Password(PASSWORD)


class _RoleFactory(UserFactory):
    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        role = next(role for role, factory in _BY_ROLE.items() if factory is cls)
        user.groups.set([Group.objects.get(name=role.label)])
        return user


class AdminProvinsiFactory(_RoleFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True


class VerifikatorFactory(_RoleFactory):
    username = factory.Sequence(lambda n: f"verifikator{n}")


class OperatorFactory(_RoleFactory):
    """An Operator Kab/Kota; of Kota Samarinda unless `regency=` says otherwise."""

    username = factory.Sequence(lambda n: f"operator{n}")
    regency = factory.LazyFunction(lambda: Regency.objects.get(code="64.72"))


class PimpinanFactory(_RoleFactory):
    username = factory.Sequence(lambda n: f"pimpinan{n}")


class AuditorFactory(_RoleFactory):
    username = factory.Sequence(lambda n: f"auditor{n}")


_BY_ROLE = {
    Role.ADMIN_PROVINSI: AdminProvinsiFactory,
    Role.VERIFIKATOR: VerifikatorFactory,
    Role.OPERATOR: OperatorFactory,
    Role.PIMPINAN: PimpinanFactory,
    Role.AUDITOR: AuditorFactory,
}


def factory_for_role(role: Role) -> type[UserFactory]:
    return _BY_ROLE[role]
