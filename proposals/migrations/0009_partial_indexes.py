"""Indexes that each import paid for and no query used: a WRSE item's empty group and a pending item's empty decider
took an entry in three indexes each; the proposed people's year had an index of its own beside the unique
(year, person) that leads with it. The group and decider indexes become partial (the items that have one); the
unique (proposal, group) too (an empty group never conflicted).

On SQLite (the `make run` default) Django would remake the item table for it, which the triggers that name the items
refuse (disbursements 0008): there the three named indexes are added beside the old full ones, which stay (with the
same meaning) until a later change remakes the table from the models."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The models' three named indexes, on both databases (on SQLite beside the old full ones).
NAMED = [
    'CREATE INDEX "proposalitem_group_idx" ON "proposals_proposalitem" ("group_id") WHERE "group_id" IS NOT NULL',
    'CREATE INDEX "proposalitem_decided_by_idx" ON "proposals_proposalitem" ("decided_by_id") '
    'WHERE "decided_by_id" IS NOT NULL',
    'CREATE UNIQUE INDEX "proposalitem_unique_group" ON "proposals_proposalitem" ("proposal_id", "group_id") '
    'WHERE "group_id" IS NOT NULL',
]
NAMED_DROPPED = [
    f'DROP INDEX "{name}"'
    for name in ("proposalitem_unique_group", "proposalitem_decided_by_idx", "proposalitem_group_idx")
]
FULL = {  # PostgreSQL's full indexes that go: name -> (table, column)
    "proposals_proposalitem_decided_by_id_e8b033f4": ("proposals_proposalitem", "decided_by_id"),
    "proposals_proposalitem_group_id_6beda843": ("proposals_proposalitem", "group_id"),
    "proposals_proposedperson_budget_year_id_3a494792": ("proposals_proposedperson", "budget_year_id"),
}
FORWARD = [
    *(f'DROP INDEX IF EXISTS "{name}"' for name in FULL),
    'ALTER TABLE "proposals_proposalitem" DROP CONSTRAINT "proposalitem_unique_group"',
    *NAMED,
]
BACKWARD = [
    *NAMED_DROPPED,
    'ALTER TABLE "proposals_proposalitem" ADD CONSTRAINT "proposalitem_unique_group" UNIQUE ("proposal_id", "group_id")',
    *(f'CREATE INDEX "{name}" ON "{table}" ("{column}")' for name, (table, column) in FULL.items()),
]


def _run(postgresql, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in {"postgresql": postgresql, "sqlite": sqlite}.get(vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0010_person_sex_name_idx"),
        ("programs", "0012_package_band"),
        ("proposals", "0008_foreign_keys_of_copies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(_run(FORWARD, NAMED), _run(BACKWARD, NAMED_DROPPED))],
            state_operations=[
                migrations.RemoveConstraint(model_name="proposalitem", name="proposalitem_unique_group"),
                migrations.AlterField(
                    model_name="proposalitem",
                    name="decided_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="proposalitem",
                    name="group",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="proposal_items",
                        to="beneficiaries.kubegroup",
                        verbose_name="KUBE",
                    ),
                ),
                migrations.AlterField(
                    model_name="proposedperson",
                    name="budget_year",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="programs.budgetyear",
                    ),
                ),
                migrations.AddIndex(
                    model_name="proposalitem",
                    index=models.Index(
                        condition=models.Q(("group__isnull", False)), fields=["group"], name="proposalitem_group_idx"
                    ),
                ),
                migrations.AddIndex(
                    model_name="proposalitem",
                    index=models.Index(
                        condition=models.Q(("decided_by__isnull", False)),
                        fields=["decided_by"],
                        name="proposalitem_decided_by_idx",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="proposalitem",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("group__isnull", False)),
                        fields=("proposal", "group"),
                        name="proposalitem_unique_group",
                    ),
                ),
            ],
        ),
    ]
