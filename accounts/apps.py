from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, using="default", **kwargs):
    from accounts.services import roles_sync

    roles_sync(using=using)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Akun Pengguna"

    def ready(self):
        # Last in the post_migrate chain of this app: the groups get the permissions every app declares.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="accounts.sync_roles")
