from functools import cache

from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from accounts.roles import Role


@cache
def role_permissions(role: Role) -> frozenset[str]:
    """The 'app_label.codename' permissions the apps declare for `role` (see accounts.roles)."""
    from accounts.services import declared_role_permissions

    return frozenset(declared_role_permissions()[role])


class RoleBackend(ModelBackend):
    """Password login as Django's ModelBackend; permissions come from the user's role.

    The role groups in the database mirror the same declarations (accounts.services.roles_sync), so
    asking the code instead of the database answers the same while saving two queries on every page.
    Per-user permissions are not used: a user's rights are exactly those of their role.
    """

    def get_user(self, user_id):
        # The regency is shown on every page (navbar) and used by every scope: fetch it with the user.
        user = User.objects.select_related("regency").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.role is None:
            return set()
        return set(role_permissions(user_obj.role))
