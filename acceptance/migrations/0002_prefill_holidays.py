"""Pre-fill the holiday calendar with the official days chinesecalendar covers (2004–2026 in 1.11.0).

Later years are entered by the admin; `manage.py load_holidays` re-runs the pre-fill after a
package upgrade (it only adds missing dates).
"""

from django.db import migrations


def prefill(apps, schema_editor):
    from acceptance.calendar import covered_years
    from acceptance.domain.holidays import prefill_official_holidays

    prefill_official_holidays(list(covered_years()), holiday_model=apps.get_model("acceptance", "Holiday"))


class Migration(migrations.Migration):
    dependencies = [("acceptance", "0001_initial")]

    operations = [migrations.RunPython(prefill, migrations.RunPython.noop)]
