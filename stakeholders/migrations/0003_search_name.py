"""Accent- and case-blind search (core.search): a folded copy of stakeholders' and contacts' names.

The existing names are put in NFC and their folded copies written (RunPython, in batches). On
PostgreSQL a GIN trigram index on each folded column serves `search_name LIKE '%term%'`, which is
what `q`, the pickers and the admin search now send; the old index on `UPPER(name)` served the
accent-sensitive search and goes. SQLite keeps the same column and LIKE, without the index.
"""

from django.db import migrations

import core.search
from core.operations import RunSQLOnPostgreSQL


def fold_existing_names(apps, schema_editor):
    for label in ("Stakeholder", "Contact"):
        model = apps.get_model("stakeholders", label)
        batch = []
        for row in model.objects.only("pk", "name").iterator(chunk_size=2000):
            row.name = core.search.nfc(row.name)
            row.search_name = core.search.fold(row.name)
            batch.append(row)
            if len(batch) == 2000:
                model.objects.bulk_update(batch, ["name", "search_name"])
                batch = []
        if batch:
            model.objects.bulk_update(batch, ["name", "search_name"])


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0002_name_trigram_index")]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="search_name",
            field=core.search.FoldedField(max_length=200, source="name", verbose_name="search name"),
        ),
        migrations.AddField(
            model_name="stakeholder",
            name="search_name",
            field=core.search.FoldedField(max_length=200, source="name", verbose_name="search name"),
        ),
        migrations.RunPython(fold_existing_names, migrations.RunPython.noop),
        RunSQLOnPostgreSQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX IF NOT EXISTS stakeholder_search_name_trgm_idx "
                "ON stakeholders_stakeholder USING gin (search_name gin_trgm_ops)",
                "CREATE INDEX IF NOT EXISTS contact_search_name_trgm_idx "
                "ON stakeholders_contact USING gin (search_name gin_trgm_ops)",
                "DROP INDEX IF EXISTS stakeholder_name_trgm_idx",
            ],
            reverse_sql=[
                "CREATE INDEX IF NOT EXISTS stakeholder_name_trgm_idx "
                "ON stakeholders_stakeholder USING gin ((UPPER(name::text)) gin_trgm_ops)",
                "DROP INDEX IF EXISTS contact_search_name_trgm_idx",
                "DROP INDEX IF EXISTS stakeholder_search_name_trgm_idx",
            ],
        ),
    ]
