
from django.db import migrations, models

LIMIT = 10**14


def set_aside_unreadable_values(apps, schema_editor):
    """Rows beyond what Decimal(18, 4) holds (only SQLite could store them) cannot be read
    back and would stop the constraint being added: they are removed, each one named."""
    Measurement = apps.get_model("outcomes", "Measurement")
    table = Measurement._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        beyond = f"SELECT id, company_id, kpi_id, year, CAST(value AS TEXT) FROM {table} WHERE value >= %s OR value <= %s"  # noqa: S608 - the table name from the model's meta  # nosec B608
        cursor.execute(beyond, [LIMIT, -LIMIT])
        rows = cursor.fetchall()
        for row_id, company_id, kpi_id, year, value in rows:
            print(  # noqa: T201 - the operator must see what was removed
                f"  removed measurement {row_id} (company {company_id}, KPI {kpi_id}, "
                f"{year}): {value} is out of the column's range"
            )
        if rows:
            remove = f"DELETE FROM {table} WHERE id IN ({', '.join('%s' for _ in rows)})"  # noqa: S608 - the table name from the model's meta; values are parameters  # nosec B608
            cursor.execute(remove, [row[0] for row in rows])


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_kpis_measurements_comparison_groups_reports")]

    operations = [
        migrations.RunPython(set_aside_unreadable_values, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="measurement",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__gt", -(10**14)), ("value__lt", 10**14)),
                name="measurement_value_in_column_range",
            ),
        ),
    ]
