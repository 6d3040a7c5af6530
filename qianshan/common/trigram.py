"""pg_trgm GIN indexes for the lists' keyword search, as migration operations.

Django's ``icontains`` on PostgreSQL is ``UPPER(col::text) LIKE UPPER('%…%')``, so the indexes
are on ``UPPER(col)`` with ``gin_trgm_ops``. They exist on PostgreSQL only: on SQLite (the
embedded default) the operations do nothing and the search is a plain LIKE scan. They are
not in the models' Meta because a GIN expression index cannot be created on SQLite.
"""

from django.db import migrations


def trigram_indexes(table: str, columns: tuple[str, ...], prefix: str) -> migrations.RunPython:
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{prefix}_{column}_trgm" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{prefix}_{column}_trgm"')

    return migrations.RunPython(forwards, backwards, elidable=False)
