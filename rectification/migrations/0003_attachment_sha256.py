import hashlib

from django.db import migrations, models


def hash_stored_files(apps, schema_editor):
    """Fill the SHA-256 of attachments stored before the field existed, from their stored bytes."""
    Attachment = apps.get_model("rectification", "Attachment")
    for attachment in Attachment.objects.filter(sha256="").iterator():
        digest = hashlib.sha256()
        try:
            with attachment.file.open("rb") as stored:
                for chunk in iter(lambda: stored.read(1024 * 1024), b""):
                    digest.update(chunk)
        except (FileNotFoundError, ValueError):
            continue  # the file is gone from storage: leave the hash empty rather than invent one
        Attachment.objects.filter(pk=attachment.pk).update(sha256=digest.hexdigest())


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0002_historicallookbackcheck_historicalprogressreport_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="sha256",
            field=models.CharField(db_index=True, default="", max_length=64, verbose_name="SHA-256"),
            preserve_default=False,
        ),
        migrations.RunPython(hash_stored_files, migrations.RunPython.noop),
    ]
