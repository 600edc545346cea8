"""VisitTally also counts the scheduled visits done inside their window: visited on or before the BAST date plus the
visit's months (the 31st becoming the month's last day where it has none, as monitoring.schedule.add_months does)
plus GRACE_DAYS (30). The triggers of 0011 are dropped, the column added, the triggers made again with the new sum
(and the visit date among SQLite's watched columns), and the tally counted afresh from the visits."""

import importlib

from django.db import migrations, models

from core.tally import tally_fill, tally_triggers

BEFORE = importlib.import_module("monitoring.migrations.0011_visit_tally")
ON_TIME = {
    "postgresql": "CASE WHEN visited_on <= date(handed_over_on + make_interval(0, due_month)) + 30 THEN 1 ELSE 0 END",
    "sqlite": (
        "CASE WHEN visited_on <= date(CASE WHEN strftime('%d', date(handed_over_on, '+' || due_month || ' months'))"
        " <> strftime('%d', handed_over_on) THEN date(handed_over_on, 'start of month', '+' || (due_month + 1)"
        " || ' months', '-1 day') ELSE date(handed_over_on, '+' || due_month || ' months') END, '+30 days')"
        " THEN 1 ELSE 0 END"
    ),
}
WATCHED = [*BEFORE.WATCHED, "visited_on"]


def _tally(vendor: str) -> dict:
    return {**BEFORE.TALLY, "sums": {**BEFORE.TALLY["sums"], "on_time": ON_TIME[vendor]}}


def _run(schema_editor, statements) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_before(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _, drop = tally_triggers(vendor, name="monitoring_visittally", watched=BEFORE.WATCHED, **BEFORE.TALLY)
    _run(schema_editor, drop)


def create_before(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    create, _ = tally_triggers(vendor, name="monitoring_visittally", watched=BEFORE.WATCHED, **BEFORE.TALLY)
    _run(schema_editor, [*create, "DELETE FROM monitoring_visittally", tally_fill(**BEFORE.TALLY)])


def create_after(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    tally = _tally(vendor)
    create, _ = tally_triggers(vendor, name="monitoring_visittally", watched=WATCHED, **tally)
    _run(schema_editor, [*create, "DELETE FROM monitoring_visittally", tally_fill(**tally)])


def drop_after(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _, drop = tally_triggers(vendor, name="monitoring_visittally", watched=WATCHED, **_tally(vendor))
    _run(schema_editor, drop)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0012_visit_turnover_change")]

    operations = [
        migrations.RunPython(drop_before, create_before),
        migrations.AddField(
            model_name="visittally", name="on_time", field=models.IntegerField(default=0, db_default=0)
        ),
        migrations.RunPython(create_after, drop_after),
    ]
