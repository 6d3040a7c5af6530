"""The database's own refusal to rewrite the record (PostgreSQL only).

The admin and the views already offer no way to change or delete these rows; a trigger makes the
database refuse too, so a shell, a script or a future view cannot quietly rewrite the log:

- transition and step logs (``cases_casetransition``, ``rectification_tasksteprecord``,
  ``scoring_assessmentstep``): no UPDATE and no DELETE, ever;
- signatures (``acceptance_signature``): no DELETE; an UPDATE may only void a valid signature
  (``void`` false → true, with its reason and time), never change who signed, what or when.

TRUNCATE (used by a test run's flush) does not fire row triggers. On SQLite (the local demo) the
migration does nothing: there the admin and the domain are the guard. See docs/security.md.
"""

FUNCTION = """
CREATE OR REPLACE FUNCTION qianshan_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% on % is refused: this record is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION qianshan_signature_only_void() RETURNS trigger AS $$
BEGIN
    IF (OLD.void AND NOT NEW.void)
       OR NEW.slot_id IS DISTINCT FROM OLD.slot_id
       OR NEW.signer_id IS DISTINCT FROM OLD.signer_id
       OR NEW.signed_at IS DISTINCT FROM OLD.signed_at THEN
        RAISE EXCEPTION 'UPDATE on % is refused: a signature may only be voided', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

# Logs that are never updated nor deleted.
LOG_TABLES = ["cases_casetransition", "rectification_tasksteprecord", "scoring_assessmentstep"]


def forward_sql() -> list[str]:
    sql = [FUNCTION]
    for table in LOG_TABLES:
        sql.append(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION qianshan_refuse_change();"
        )
    sql.append(
        "CREATE TRIGGER acceptance_signature_no_delete BEFORE DELETE ON acceptance_signature "
        "FOR EACH ROW EXECUTE FUNCTION qianshan_refuse_change();"
    )
    sql.append(
        "CREATE TRIGGER acceptance_signature_only_void BEFORE UPDATE ON acceptance_signature "
        "FOR EACH ROW EXECUTE FUNCTION qianshan_signature_only_void();"
    )
    return sql


def reverse_sql() -> list[str]:
    sql = [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};" for t in LOG_TABLES]
    sql += [
        "DROP TRIGGER IF EXISTS acceptance_signature_no_delete ON acceptance_signature;",
        "DROP TRIGGER IF EXISTS acceptance_signature_only_void ON acceptance_signature;",
        "DROP FUNCTION IF EXISTS qianshan_signature_only_void();",
        "DROP FUNCTION IF EXISTS qianshan_refuse_change();",
    ]
    return sql


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in forward_sql():
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in reverse_sql():
        schema_editor.execute(statement, params=None)
