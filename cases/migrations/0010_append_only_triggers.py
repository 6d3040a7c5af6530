"""PostgreSQL refuses UPDATE/DELETE of the transition and step logs and DELETE of signatures.

A no-op on SQLite; see qianshan/common/append_only.py and docs/security.md.
"""

from django.db import migrations

from qianshan.common.append_only import install, uninstall


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_casetransition_history"),
        ("acceptance", "0004_rebind_signatures"),
        ("rectification", "0003_attachment_sha256"),
        ("scoring", "0003_ranking_indexes"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
