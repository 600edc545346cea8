"""`make run` and `manage.py migrate` print no system-check warning, on SQLite as on PostgreSQL: the database
checks too (an index SQLite cannot build as declared, a field its backend refuses), which `manage.py check` only
runs when asked for a database."""

import pytest
from django.core import checks

pytestmark = pytest.mark.django_db


def test_no_system_check_warns_on_this_database():
    found = checks.run_checks(databases=["default"])
    assert [
        f"{message.id}: {message.obj}: {message.msg}" for message in found if message.is_serious(checks.WARNING)
    ] == []
