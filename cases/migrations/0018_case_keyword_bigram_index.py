# A bigram GIN index for the case list's keyword box (受理编号, complaint text, handler): pg_trgm
# cannot serve a 2-character keyword such as 噪声. PostgreSQL only; on SQLite this migration does
# nothing (see qianshan/common/bigrams.py).
from django.db import migrations

from qianshan.common.bigrams import bigram_index


class Migration(migrations.Migration):
    dependencies = [("cases", "0017_figures_indexes")]

    operations = [
        bigram_index(
            "cases_petitioncase", ("receipt_no", "complaint", "handler"), "cases_case_keyword_bigrams"
        ),
    ]
