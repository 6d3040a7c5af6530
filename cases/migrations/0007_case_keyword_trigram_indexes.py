# pg_trgm GIN indexes for the case list's keyword box (受理编号, complaint text, handler).
# PostgreSQL only; on SQLite this migration does nothing (see qianshan/common/trigram.py).
from django.db import migrations

from qianshan.common.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_case_list_sort_indexes")]

    operations = [
        trigram_indexes("cases_petitioncase", ("receipt_no", "complaint", "handler"), "cases_case"),
    ]
