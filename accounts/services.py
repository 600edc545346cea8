"""Writes of user accounts and roles."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import import_string

from accounts.models import User
from accounts.roles import Role


def declared_role_permissions() -> dict[Role, set[str]]:
    """Collect `ROLE_PERMISSIONS` from every installed app's `permissions` module."""
    declared: dict[Role, set[str]] = {role: set() for role in Role}
    for app_config in global_apps.get_app_configs():
        try:
            grants = import_string(f"{app_config.name}.permissions.ROLE_PERMISSIONS")
        except ImportError:
            continue
        for role, perms in grants.items():
            declared[role].update(perms)
    return declared


@transaction.atomic
def roles_sync(*, using: str = "default") -> None:
    """Make the five role groups exist and hold exactly the permissions the apps declare.

    Runs after every `migrate` (and after the test runner flushes a database). Idempotent.
    """
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    declared = declared_role_permissions()
    wanted = {perm for perms in declared.values() for perm in perms}
    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    unknown = wanted - by_name.keys()
    if unknown:
        raise LookupError(f"Unknown permissions declared for roles: {sorted(unknown)}")
    for role, perms in declared.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.label)
        group.permissions.set([by_name[perm] for perm in perms])


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: Role,
    regency=None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    nip: str = "",
    position: str = "",
) -> User:
    """Create a user in one role. An Operator Kab/Kota must have a regency; provincial roles must not."""
    if role == Role.OPERATOR and regency is None:
        raise ValidationError({"regency": "Operator Kab/Kota wajib memiliki kabupaten/kota."})
    if role != Role.OPERATOR and regency is not None:
        raise ValidationError({"regency": "Peran provinsi tidak terikat pada satu kabupaten/kota."})
    user = User(
        username=username,
        regency=regency,
        first_name=first_name,
        last_name=last_name,
        email=email,
        nip=nip,
        position=position,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.set([Group.objects.get(name=role.label)])
    return user
