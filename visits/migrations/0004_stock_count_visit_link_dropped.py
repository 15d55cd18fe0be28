"""Stock counts, step 3 of 3 in the visits app: the visit foreign key goes (the
reference replaced it, so inventory need not know visits), and the database
holds one current count per reference."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("visits", "0003_stock_count_reference_fill"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="stockcount",
            name="visit",
        ),
        migrations.AddIndex(
            model_name="stockcount",
            index=models.Index(fields=["reference"], name="stock_count_reference_idx"),
        ),
        migrations.AddConstraint(
            model_name="stockcount",
            constraint=models.UniqueConstraint(
                condition=models.Q(("replaced_at__isnull", True), models.Q(("reference", ""), _negated=True)),
                fields=("reference",), name="stock_count_one_current_per_reference",
            ),
        ),
    ]
