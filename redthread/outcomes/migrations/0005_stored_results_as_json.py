"""Stored results as JSON (outcomes.results_codec) instead of pickles: the pickled column
is dropped unread, every stored result is marked never computed and the data version is
bumped (above every row's ``queued``), so the next visit queues its computation again."""

from django.db import migrations, models


def forget_pickles(apps, schema_editor):
    StoredResult = apps.get_model("outcomes", "StoredResult")
    ResultsDataVersion = apps.get_model("outcomes", "ResultsDataVersion")
    StoredResult.objects.update(computed_at=None, version=0, queued=0)
    if not ResultsDataVersion.objects.filter(pk=1).update(version=models.F("version") + 1):
        ResultsDataVersion.objects.create(pk=1, version=1)


class Migration(migrations.Migration):

    dependencies = [
        ("outcomes", "0004_stored_results"),
    ]

    operations = [
        migrations.RunPython(forget_pickles, migrations.RunPython.noop),
        migrations.RemoveField(model_name="storedresult", name="data"),
        migrations.AddField(
            model_name="storedresult",
            name="results",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
