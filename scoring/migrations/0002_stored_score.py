"""Store each sheet's exact score beside its data, filled for the rows that exist.

The columns are added nullable, filled by scoring every row's data with ``rules.score`` (the
historical rows too, each from its own data), then made required.
"""

from django.db import migrations, models
from django.utils import timezone


def fill_scores(apps, schema_editor):
    from scoring.enums import ScorePart
    from scoring.rules import score
    from scoring.sheet_json import parse_sheets

    now = timezone.now()
    fields = ["total_num", "total_den", "parts", "scored_at"]
    for model_name, pk in (("ScoringSheet", "pk"), ("HistoricalScoringSheet", "history_id")):
        model = apps.get_model("scoring", model_name)
        batch = []
        for row in model.objects.only(pk, "data").order_by(pk).iterator(chunk_size=2000):
            sheets, errors = parse_sheets(row.data)
            if errors:
                raise RuntimeError(f"{model_name} {row.pk} 的评分内容无法计分：{'；'.join(errors)}")
            result = score(sheets[0])
            row.total_num, row.total_den = result.total.numerator, result.total.denominator
            row.parts = {part.value: str(result.part(part)) for part in ScorePart}
            row.scored_at = now
            batch.append(row)
            if len(batch) == 2000:
                model.objects.bulk_update(batch, fields)
                batch = []
        model.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalscoringsheet",
            name="parts",
            field=models.JSONField(
                help_text="各部分的精确得分，既约分数字符串，如 17/2", null=True, verbose_name="各部分得分"
            ),
        ),
        migrations.AddField(
            model_name="historicalscoringsheet",
            name="scored_at",
            field=models.DateTimeField(null=True, verbose_name="计分时间"),
        ),
        migrations.AddField(
            model_name="historicalscoringsheet",
            name="total_den",
            field=models.PositiveBigIntegerField(null=True, verbose_name="总分（分母）"),
        ),
        migrations.AddField(
            model_name="historicalscoringsheet",
            name="total_num",
            field=models.BigIntegerField(null=True, verbose_name="总分（分子）"),
        ),
        migrations.AddField(
            model_name="scoringsheet",
            name="parts",
            field=models.JSONField(
                help_text="各部分的精确得分，既约分数字符串，如 17/2", null=True, verbose_name="各部分得分"
            ),
        ),
        migrations.AddField(
            model_name="scoringsheet",
            name="scored_at",
            field=models.DateTimeField(null=True, verbose_name="计分时间"),
        ),
        migrations.AddField(
            model_name="scoringsheet",
            name="total_den",
            field=models.PositiveBigIntegerField(null=True, verbose_name="总分（分母）"),
        ),
        migrations.AddField(
            model_name="scoringsheet",
            name="total_num",
            field=models.BigIntegerField(null=True, verbose_name="总分（分子）"),
        ),
        migrations.RunPython(fill_scores, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="historicalscoringsheet",
            name="parts",
            field=models.JSONField(
                help_text="各部分的精确得分，既约分数字符串，如 17/2", verbose_name="各部分得分"
            ),
        ),
        migrations.AlterField(
            model_name="historicalscoringsheet",
            name="scored_at",
            field=models.DateTimeField(verbose_name="计分时间"),
        ),
        migrations.AlterField(
            model_name="historicalscoringsheet",
            name="total_den",
            field=models.PositiveBigIntegerField(verbose_name="总分（分母）"),
        ),
        migrations.AlterField(
            model_name="historicalscoringsheet",
            name="total_num",
            field=models.BigIntegerField(verbose_name="总分（分子）"),
        ),
        migrations.AlterField(
            model_name="scoringsheet",
            name="parts",
            field=models.JSONField(
                help_text="各部分的精确得分，既约分数字符串，如 17/2", verbose_name="各部分得分"
            ),
        ),
        migrations.AlterField(
            model_name="scoringsheet",
            name="scored_at",
            field=models.DateTimeField(verbose_name="计分时间"),
        ),
        migrations.AlterField(
            model_name="scoringsheet",
            name="total_den",
            field=models.PositiveBigIntegerField(verbose_name="总分（分母）"),
        ),
        migrations.AlterField(
            model_name="scoringsheet",
            name="total_num",
            field=models.BigIntegerField(verbose_name="总分（分子）"),
        ),
        migrations.AddConstraint(
            model_name="scoringsheet",
            constraint=models.CheckConstraint(
                condition=models.Q(("total_den__gte", 1)), name="scoring_scoringsheet_total_den_positive"
            ),
        ),
    ]
