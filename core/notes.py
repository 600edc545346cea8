"""A note appended to a record's text field under the row's lock (a proven complaint's finding on a BAST, an
allocation or a proposal item): earlier notes are kept, one per line."""

from django.db import models


def append_note(model: type[models.Model], pk: int, field: str, note: str) -> tuple[models.Model, str]:
    """Lock the row, add `note` as a new line of `field`, save that field; returns the row and the text before.
    Call inside a transaction."""
    record = model.objects.select_for_update().get(pk=pk)
    before = getattr(record, field)
    setattr(record, field, f"{before}\n{note.strip()}".strip())
    record.save(update_fields=[field])
    return record, before
