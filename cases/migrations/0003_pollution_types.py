from django.db import migrations

# The transfer sheets' vocabulary (issue 3): the national categories and the local ones.
POLLUTION_TYPES = [
    ("water", "水"),
    ("air", "大气"),
    ("soil", "土壤"),
    ("ecology", "生态"),
    ("noise", "噪声"),
    ("radiation", "辐射"),
    ("marine", "海洋"),
    ("cooking_fume", "油烟"),
    ("dust", "扬尘"),
    ("solid_waste", "固废"),
    ("odor", "异味"),
    ("other", "其他"),
]


def add_types(apps, schema_editor):
    PollutionType = apps.get_model("cases", "PollutionType")
    for order, (code, name) in enumerate(POLLUTION_TYPES):
        PollutionType.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
