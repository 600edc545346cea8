"""The storage of uploads (STORAGES["default"]), made to keep files and rows together:

- A file written inside a transaction is remembered until that transaction commits; if it never does (the save
  failed, a concurrent request won, the database went away), the file is deleted when the request or the job
  ends (`discard_uncommitted`, wired in kubeprogram.apps) — no file without its row.
- A write the disk or the object store refuses (full, read-only, S3 denying) becomes StorageFull, a
  ValidationError with the message the user sees on the form; the partial file is removed.

`manage.py media_orphans` finds what slipped through anyway (a process killed between the two)."""

import logging
import threading

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import connection, transaction

logger = logging.getLogger(__name__)
FULL = "Berkas tidak dapat disimpan di server (ruang penyimpanan); tidak ada yang tersimpan. Hubungi Admin Provinsi."

_local = threading.local()


class StorageFull(ValidationError):
    def __init__(self):
        super().__init__(FULL)


def _pending() -> list:
    if not hasattr(_local, "pending"):
        _local.pending = []
    return _local.pending


def _remember(storage, name: str) -> None:
    if not connection.in_atomic_block:
        return  # autocommit: nothing to wait for
    entry = (storage, name)
    _pending().append(entry)

    def committed():
        if entry in _pending():
            _pending().remove(entry)

    transaction.on_commit(committed)


def discard_uncommitted(**kwargs) -> int:
    """Delete the files written by transactions that ended without a commit. Called when a request or a task ends;
    inside a transaction still open (a test's), nothing is known yet and nothing is done."""
    if connection.in_atomic_block or not getattr(_local, "pending", None):
        return 0
    pending, _local.pending = _local.pending, []
    for storage, name in pending:
        try:
            storage.delete(name)
            logger.info("removed %s: its transaction did not commit", name)
        except Exception:  # noqa: BLE001 — the orphan sweep will find it
            logger.warning("could not remove uncommitted file %s", name, exc_info=True)
    return len(pending)


def delete_after_commit(field_file) -> None:
    """Delete a stored file once the transaction that stops pointing at it commits (at once in autocommit): a rollback
    keeps both the row and its file. A delete that fails after the commit leaves an orphan for media_orphans."""
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name

    def delete():
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 — the orphan sweep will find it
            logger.warning("could not delete %s", name, exc_info=True)

    transaction.on_commit(delete)


class TransactionalMixin:
    def _save(self, name, content):
        try:
            name = super()._save(name, content)
        except OSError:
            logger.exception("media write refused: %s", name)
            try:
                self.delete(name)
            except Exception:  # noqa: BLE001 — nothing was written, or the disk refuses that too
                pass
            raise StorageFull() from None
        _remember(self, name)
        return name


class LocalMedia(TransactionalMixin, FileSystemStorage):
    """MEDIA_ROOT on the server's disk."""


class StorageFullMiddleware:
    """A write refused by the storage, wherever it happened, is a page that says so (507), not the 500 page: the
    forms that catch ValidationError show it on the form themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageFull):
            return None
        from django.shortcuts import render

        back = request.headers.get("Referer", "")
        return render(request, "storage_full.html", {"message": FULL, "back": back}, status=507)
