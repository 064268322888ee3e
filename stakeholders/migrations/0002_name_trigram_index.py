"""Trigram indexes for `q=` search on PostgreSQL.

Django turns `name__icontains="x"` into `UPPER("name"::text) LIKE UPPER('%x%')` on
PostgreSQL, so the indexes are on exactly that expression: a GIN trigram index lets a
`LIKE '%x%'` use an index instead of scanning every stakeholder. `q` also searches the
acronym (OR), which needs its own index for the planner to combine both in a bitmap.
pg_trgm is a trusted extension (PostgreSQL 13+), so a database owner may create it.
"""

from django.db import migrations

from core.operations import RunSQLOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0001_initial")]

    operations = [
        RunSQLOnPostgreSQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX IF NOT EXISTS stakeholder_name_trgm_idx "
                "ON stakeholders_stakeholder USING gin ((UPPER(name::text)) gin_trgm_ops)",
                "CREATE INDEX IF NOT EXISTS stakeholder_acronym_trgm_idx "
                "ON stakeholders_stakeholder USING gin ((UPPER(acronym::text)) gin_trgm_ops)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS stakeholder_acronym_trgm_idx",
                "DROP INDEX IF EXISTS stakeholder_name_trgm_idx",
            ],
        ),
    ]
