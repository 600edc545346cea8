"""Writes of user accounts and roles."""

import secrets

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import import_string

from accounts.models import User
from accounts.roles import Role
from accounts.signals import user_changed


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
    actor=None,
) -> User:
    """Create a user in one role. An Operator Kab/Kota must have a regency; provincial roles must not. Audited
    when an `actor` made it (the demo data and createsuperuser have none)."""
    _check_role_regency(role, regency)
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
    if actor is not None:
        user_changed.send(User, actor=actor, user=user, action="user.create", before=None, after=user_snapshot(user))
    return user


@transaction.atomic
def user_open(*, role: Role, regency, data: dict, actor) -> tuple[User, str]:
    """An account made by Admin Provinsi, with a one-time password to hand over in person (returned, never stored
    in the clear). One transaction: the account, its password and its audit event."""
    password = secrets.token_urlsafe(9)
    fields = ("username", "first_name", "last_name", "email", "nip", "position")
    user = user_create(password=password, role=role, regency=regency, actor=actor, **{f: data[f] for f in fields})
    return user, password


def user_snapshot(user: User) -> dict:
    """What the audit log keeps of an account (never the password)."""
    role = user.role
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "role": role.label if role else "",
        "regency": user.regency_id,
        "nip": user.nip,
        "position": user.position,
        "is_active": user.is_active,
    }


def _check_role_regency(role: Role, regency) -> None:
    if role == Role.OPERATOR and regency is None:
        raise ValidationError({"regency": "Operator Kab/Kota wajib memiliki kabupaten/kota."})
    if role != Role.OPERATOR and regency is not None:
        raise ValidationError({"regency": "Peran provinsi tidak terikat pada satu kabupaten/kota."})


@transaction.atomic
def user_update(*, user: User, role: Role, regency, data: dict, actor) -> User:
    """Change an account's role, regency, name, NIP and position (the same role–regency rule as creating)."""
    _check_role_regency(role, regency)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user_snapshot(user)
    moved = user.regency_id != (regency.pk if regency else None) or user.role != role
    user.regency = regency
    for field in ("first_name", "last_name", "email", "nip", "position"):
        if field in data:
            setattr(user, field, data[field])
    if moved:  # what the account may see changes: its open sessions end, it logs in again under the new rights
        user.sessions_epoch += 1
    user.full_clean()
    user.save()
    user.groups.set([Group.objects.get(name=role.label)])
    user.__dict__.pop("role", None)
    user_changed.send(User, actor=actor, user=user, action="user.update", before=before, after=user_snapshot(user))
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor) -> User:
    """Deactivate an account (it can no longer log in; its records keep its name) or activate it again. Nobody
    deactivates their own account."""
    if not active and user.pk == actor.pk:
        raise ValidationError("Akun Anda sendiri tidak dapat dinonaktifkan.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    user.is_active = active
    if not active:  # its sessions end now, and are not revived by activating it again
        user.sessions_epoch += 1
    user.save(update_fields=["is_active", "sessions_epoch"])
    user_changed.send(
        User,
        actor=actor,
        user=user,
        action="user.activate" if active else "user.deactivate",
        before={"is_active": not active},
        after={"is_active": active},
    )
    return user


@transaction.atomic
def user_end_sessions(*, user: User, actor) -> User:
    """End every open session of the account (a lost phone, a shared computer): it must log in again. Audited."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.sessions_epoch += 1
    user.save(update_fields=["sessions_epoch"])
    user_changed.send(User, actor=actor, user=user, action="user.end_sessions", before=None, after=None)
    return user


@transaction.atomic
def user_reset_password(*, user: User, actor) -> str:
    """Give the account a new random password (returned once, to hand over in person) and end its lockout."""
    password = secrets.token_urlsafe(9)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    user_unlock(user=user, actor=actor)
    user_changed.send(User, actor=actor, user=user, action="user.reset_password", before=None, after=None)
    return password


@transaction.atomic
def user_unlock(*, user: User, actor) -> int:
    """End a lockout after too many wrong passwords (django-axes), from every address. Returns how many records
    of failed attempts were removed."""
    from axes.utils import reset

    removed = reset(username=user.username)
    if removed:
        user_changed.send(User, actor=actor, user=user, action="user.unlock", before=None, after={"attempts": removed})
    return removed


def locked_usernames(usernames) -> set[str]:
    """Of `usernames`, those locked out now (as many failures as AXES_FAILURE_LIMIT within the cool-off time)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=list(usernames),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )
