"""The S3-compatible storage of uploads (MEDIA_STORAGE_URL), with core.media's guarantees."""

from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage

from core.media import StorageFull, TransactionalMixin


class ObjectMedia(TransactionalMixin, S3Storage):
    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except (BotoCoreError, ClientError):
            raise StorageFull() from None
