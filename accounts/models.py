from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.roles import PROVINCIAL_ROLES, Role


class User(AbstractUser):
    """A person who logs in. An Operator Kab/Kota belongs to exactly one regency."""

    regency = models.ForeignKey(
        "regions.Regency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("kabupaten/kota"),
        help_text=_("Wajib untuk Operator Kab/Kota; kosong untuk peran provinsi."),
    )
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    # Raised to end every session of the account (deactivated, role or regency changed, or on the admin's request):
    # part of the session hash, so a session made before no longer matches (services.user_end_sessions).
    sessions_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        """Django's hash of the password, with the sessions epoch: a new password or a new epoch ends the sessions."""
        from django.utils.crypto import salted_hmac

        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = self.password if not self.sessions_epoch else f"{self.password}:{self.sessions_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @cached_property
    def role(self) -> Role | None:
        """The user's role, read from their groups; a superuser without a group acts as Admin Provinsi."""
        names = {group.name for group in self.groups.all()}
        for role in Role:
            if role.label in names:
                return role
        return Role.ADMIN_PROVINSI if self.is_superuser else None

    @property
    def is_provincial(self) -> bool:
        return self.role in PROVINCIAL_ROLES

    @property
    def scope_key(self) -> str:
        """What this user may see, as part of a cache key: the role (some figures differ by role, e.g. sensitive
        complaints) and the regency (an operator's). Users with the same key may share a cached figure."""
        return f"{self.role or '-'}:{self.regency_id or '-'}"

    def regency_q(self, field: str) -> Q:
        """The filter that limits a queryset to what this user may see, by the regency at `field`.

        Provincial roles: everything. Operator Kab/Kota: their own regency. Anyone else, or an operator
        without a regency: nothing. Every `<model>s_visible_to(user)` selector is built on this.
        """
        if self.is_provincial:
            return Q()
        if self.role == Role.OPERATOR and self.regency_id:
            return Q(**{field: self.regency_id})
        return Q(pk__in=[])
