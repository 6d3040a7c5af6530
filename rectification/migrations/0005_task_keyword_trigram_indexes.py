# pg_trgm GIN indexes for the task list's keyword box (task number, problem, responsible person).
# PostgreSQL only; on SQLite this migration does nothing (see qianshan/common/trigram.py).
from django.db import migrations

from qianshan.common.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("rectification", "0004_task_list_sort_indexes")]

    operations = [
        trigram_indexes(
            "rectification_rectificationtask", ("number", "problem", "responsible_person"), "rect_task"
        ),
    ]
