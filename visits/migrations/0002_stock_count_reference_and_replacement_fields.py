"""Stock counts, step 1 of 3 of moving them to inventory: the fields "one count per
visit" needs (an opaque reference, the replacement of a recount, a digest of the
lines), the source and stop of a carried product, and the working of a suggestion
(its periods, coefficient source and cycle). The visit link becomes optional so
that step 3 can drop it once step 2 has copied it into the reference."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("visits", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="stockcount",
            name="reference",
            field=models.CharField(blank=True, max_length=64, verbose_name="taken at"),
        ),
        migrations.AddField(
            model_name="stockcount",
            name="replaced_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="replaced at"),
        ),
        migrations.AddField(
            model_name="stockcount",
            name="replaces",
            field=models.OneToOneField(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="replaced_by",
                to="visits.stockcount", verbose_name="replaces",
            ),
        ),
        migrations.AddField(
            model_name="stockcount",
            name="lines_digest",
            field=models.CharField(blank=True, max_length=64, verbose_name="lines digest"),
        ),
        migrations.AlterField(
            model_name="stockcount",
            name="visit",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="stock_counts",
                to="visits.visit", verbose_name="visit",
            ),
        ),
        migrations.AddField(
            model_name="dealerproduct",
            name="source",
            field=models.CharField(
                choices=[("shipment", "Shipped to the dealer"), ("contract", "In the contract's product lines"),
                         ("count", "Found on the shelf in a stock count"), ("manual", "Added by hand")],
                default="manual", max_length=16, verbose_name="source",
            ),
        ),
        migrations.AddField(
            model_name="dealerproduct",
            name="added_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                to=settings.AUTH_USER_MODEL, verbose_name="added by",
            ),
        ),
        migrations.AddField(
            model_name="dealerproduct",
            name="stopped_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="stopped at"),
        ),
        migrations.AddField(
            model_name="dealerproduct",
            name="stopped_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                to=settings.AUTH_USER_MODEL, verbose_name="stopped by",
            ),
        ),
        migrations.AddField(
            model_name="suggestedorderline",
            name="coefficient_source",
            field=models.CharField(
                blank=True, choices=[("default", "the default"), ("product", "the product's"), ("dealer", "the dealer's")],
                max_length=16, verbose_name="coefficient from",
            ),
        ),
        migrations.AddField(
            model_name="suggestedorderline",
            name="cycle_days",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="visit cycle (days)"),
        ),
        migrations.AddField(
            model_name="suggestedorderline",
            name="periods",
            field=models.JSONField(blank=True, default=list, verbose_name="periods"),
        ),
    ]
