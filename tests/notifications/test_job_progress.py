"""Progress written while a runner's own transaction is open is seen by the job page at once."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from notifications.domain.background import Progress
from notifications.models import BackgroundJob


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_import_transaction_is_visible_to_another_connection(users):
    job = BackgroundJob.objects.create(owner=users["office"], kind="case_import", title="交办单确认导入")
    progress = Progress(job, interval=0)
    reader = connections.create_connection(DEFAULT_DB_ALIAS)  # as the job page's request would
    try:
        with transaction.atomic():  # the one transaction the import writes its rows in
            progress.set_total(10)
            progress.advance(4)
            with reader.cursor() as cursor:
                cursor.execute(
                    "SELECT total, processed FROM notifications_backgroundjob WHERE id = %s", [job.pk]
                )
                seen = cursor.fetchone()
        # PostgreSQL: through the side connection at once; SQLite (one writer): after the commit
        assert seen == ((10, 4) if connection.vendor == "postgresql" else (None, 0))
    finally:
        progress.close()
        reader.close()
    job.refresh_from_db()
    assert (job.total, job.processed) == (10, 4)
