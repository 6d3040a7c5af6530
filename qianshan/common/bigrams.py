"""A bigram GIN index for the keyword box's short (Chinese) words, on PostgreSQL.

pg_trgm extracts no trigram from a 2-character LIKE pattern, and 2 characters is the usual
Chinese keyword (噪声, 油烟): ``UPPER(col) LIKE '%噪声%'`` read every row of the case table. This
index keys each row by the distinct 2-character substrings of its keyword fields:

- ``qs_bigrams(text) RETURNS text[]`` (IMMUTABLE PL/pgSQL function): the bigrams of a text;
- one GIN expression index per table on ``qs_bigrams(UPPER(f1 || E'\\x01' || f2 || …))`` — the
  fields joined by a control character, so no bigram spans two fields;
- the keyword condition ``KeywordBigrams(fields, value)``: ``that expression @>
  qs_bigrams(UPPER(value))``, the exact text of the index expression, so the planner uses the
  index.

It is a *necessary* condition of ``any field icontains value`` (a field holding the keyword holds
each of its bigrams, and so does the joined text); for a keyword of exactly two characters it is
also sufficient, so ``listing.keyword_q`` uses it alone then (see there for the details and why
3+ characters stay with pg_trgm). The rows are those of the plain LIKE, no more, no fewer.
PostgreSQL only: on SQLite the migration operation does nothing and the keyword stays a plain
LIKE scan.
"""

from django.db import NotSupportedError, migrations
from django.db.models import BooleanField, F, Func, Value

FUNCTION = "qs_bigrams"
FUNCTION_COST = 1000
SEPARATOR = "\x01"  # never typed in a field; joins the fields so no bigram spans two of them
_SEPARATOR_SQL = "E'\\x01'"

# PL/pgSQL over the text's characters (string_to_array(t, NULL)): ~5× faster than a SQL function
# over generate_series/substr. Duplicates are left in: GIN keeps each key once per row. COST tells
# the planner that computing it is far dearer than a LIKE (it is, per row): where the condition is
# a filter, not the index's, PostgreSQL then tests it after the cheap conditions.
CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST {FUNCTION_COST} AS $$
DECLARE
    chars text[] := pg_catalog.string_to_array(t, NULL);
    result text[] := '{{}}';
BEGIN
    FOR i IN 1 .. coalesce(pg_catalog.array_length(chars, 1), 0) - 1 LOOP
        result := result || (chars[i] || chars[i + 1]);
    END LOOP;
    RETURN result;
END
$$
"""


def document_sql(columns: list[str]) -> str:
    """The indexed expression over the (already quoted) column SQL, in the index's field order."""
    joined = f" || {_SEPARATOR_SQL} || ".join(f"COALESCE({column}, '')" for column in columns)
    return f"{FUNCTION}(UPPER({joined}))"


def bigram_index(table: str, columns: tuple[str, ...], name: str) -> migrations.RunPython:
    """Create (reversibly) the function and the GIN index ``name`` on ``table``'s ``columns``."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(CREATE_FUNCTION)
        expression = document_sql([f'"{column}"' for column in columns])
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (({expression}))')

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
        # the function goes with the last index using it (another table's index may still need it)
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_depend d JOIN pg_proc p ON p.oid = d.refobjid "
                "WHERE p.proname = %s AND d.classid = 'pg_class'::regclass",
                [FUNCTION],
            )
            if cursor.fetchone()[0] == 0:
                schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")

    return migrations.RunPython(forwards, backwards, elidable=False)


class KeywordBigrams(Func):
    """True where the joined ``fields`` hold every bigram of ``value`` (PostgreSQL; the fields in
    the order of a ``bigram_index``). Exact only for a 2-character ``value`` (``IsBigram``);
    else AND it with the exact test."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, fields: tuple[str, ...], value: str):
        super().__init__(*(F(name) for name in fields), Value(value))

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            raise NotSupportedError("KeywordBigrams needs PostgreSQL's bigram index")
        *columns, value = self.get_source_expressions()
        parts, params = [], []
        for column in columns:
            sql, column_params = compiler.compile(column)
            parts.append(sql)
            params.extend(column_params)
        value_sql, value_params = compiler.compile(value)
        return f"{document_sql(parts)} @> {FUNCTION}(UPPER({value_sql}))", [*params, *value_params]


class IsBigram(Func):
    """True where ``UPPER(value)`` is exactly two characters (a constant the planner folds)."""

    conditional = True
    output_field = BooleanField()
    template = "char_length(UPPER(%(expressions)s)) = 2"

    def __init__(self, value: str):
        super().__init__(Value(value))
