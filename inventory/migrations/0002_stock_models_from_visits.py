"""One home for stock: the stock count, its lines, the stored suggestion and the
products a dealer carries move from the visits app to inventory. The rows stay
where they are: the models are declared here (state only) over the existing
tables, which are then renamed to inventory_*; visits 0005 forgets them. A
count also keeps the dates of the periods its suggestion read."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

CARRY_SOURCES = [
    ("shipment", "Shipped to the dealer"), ("contract", "In the contract's product lines"),
    ("count", "Found on the shelf in a stock count"), ("manual", "Added by hand"),
]
COEFFICIENT_SOURCES = [("default", "the default"), ("product", "the product's"), ("dealer", "the dealer's")]


class Migration(migrations.Migration):

    dependencies = [
        ("dealers", "0006_dealer_name_index"),
        ("inventory", "0001_initial"),
        ("visits", "0004_stock_count_visit_link_dropped"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DealerProduct",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("since", models.DateField(default=django.utils.timezone.localdate, verbose_name="carried since")),
                        ("source", models.CharField(choices=CARRY_SOURCES, default="manual", max_length=16,
                                                    verbose_name="source")),
                        ("stopped_at", models.DateTimeField(blank=True, null=True, verbose_name="stopped at")),
                        ("added_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                       related_name="+", to=settings.AUTH_USER_MODEL,
                                                       verbose_name="added by")),
                        ("dealer", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                     related_name="carried_products", to="dealers.dealer",
                                                     verbose_name="dealer")),
                        ("product", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                      related_name="carried_by", to="inventory.product",
                                                      verbose_name="product")),
                        ("stopped_by", models.ForeignKey(blank=True, null=True,
                                                         on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                                         to=settings.AUTH_USER_MODEL, verbose_name="stopped by")),
                    ],
                    options={
                        "verbose_name": "product carried",
                        "verbose_name_plural": "products carried",
                        "ordering": ["dealer", "product"],
                        "db_table": "visits_dealerproduct",
                        "constraints": [models.UniqueConstraint(fields=("dealer", "product"), name="dealer_product_unique")],
                    },
                ),
                migrations.CreateModel(
                    name="StockCount",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("reference", models.CharField(blank=True, max_length=64, verbose_name="taken at")),
                        ("counted_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="counted at")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("replaced_at", models.DateTimeField(blank=True, null=True, verbose_name="replaced at")),
                        ("lines_digest", models.CharField(blank=True, max_length=64, verbose_name="lines digest")),
                        ("counted_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                         related_name="+", to=settings.AUTH_USER_MODEL,
                                                         verbose_name="counted by")),
                        ("dealer", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                     related_name="stock_counts", to="dealers.dealer",
                                                     verbose_name="dealer")),
                        ("replaces", models.OneToOneField(blank=True, null=True,
                                                          on_delete=django.db.models.deletion.SET_NULL,
                                                          related_name="replaced_by", to="inventory.stockcount",
                                                          verbose_name="replaces")),
                    ],
                    options={
                        "verbose_name": "stock count",
                        "verbose_name_plural": "stock counts",
                        "ordering": ["-counted_at", "-id"],
                        "db_table": "visits_stockcount",
                        "indexes": [
                            models.Index(fields=["dealer", "counted_at"], name="stock_count_dealer_time_idx"),
                            models.Index(fields=["reference"], name="stock_count_reference_idx"),
                        ],
                        "constraints": [models.UniqueConstraint(
                            condition=models.Q(("replaced_at__isnull", True), models.Q(("reference", ""), _negated=True)),
                            fields=("reference",), name="stock_count_one_current_per_reference",
                        )],
                    },
                ),
                migrations.CreateModel(
                    name="StockCountLine",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("quantity", models.PositiveIntegerField(verbose_name="quantity (cases)")),
                        ("production_date", models.DateField(blank=True, null=True, verbose_name="production date")),
                        ("batch", models.CharField(blank=True, max_length=64, verbose_name="batch")),
                        ("product", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                      related_name="stock_count_lines", to="inventory.product",
                                                      verbose_name="product")),
                        ("stock_count", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                          related_name="lines", to="inventory.stockcount",
                                                          verbose_name="stock count")),
                    ],
                    options={
                        "verbose_name": "stock count line",
                        "verbose_name_plural": "stock count lines",
                        "ordering": ["stock_count", "id"],
                        "db_table": "visits_stockcountline",
                        "constraints": [
                            models.UniqueConstraint(fields=("stock_count", "product"), name="stock_count_line_unique_product"),
                            models.CheckConstraint(condition=models.Q(("quantity__gte", 0)),
                                                   name="stock_count_line_quantity_not_negative"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SuggestedOrderLine",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("previous_stock", models.IntegerField(blank=True, null=True, verbose_name="previous stock")),
                        ("deliveries", models.IntegerField(default=0, verbose_name="delivered since")),
                        ("current_stock", models.IntegerField(verbose_name="current stock")),
                        ("period_sales", models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True,
                                                             verbose_name="period sales")),
                        ("coefficient", models.DecimalField(decimal_places=2, max_digits=4, verbose_name="coefficient")),
                        ("coefficient_source", models.CharField(blank=True, choices=COEFFICIENT_SOURCES, max_length=16,
                                                                verbose_name="coefficient from")),
                        ("cycle_days", models.PositiveSmallIntegerField(blank=True, null=True,
                                                                        verbose_name="visit cycle (days)")),
                        ("periods", models.JSONField(blank=True, default=list, verbose_name="periods")),
                        ("safety_stock", models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True,
                                                             verbose_name="safety stock")),
                        ("suggested_quantity", models.PositiveIntegerField(blank=True, null=True, verbose_name="suggested")),
                        ("flags", models.JSONField(blank=True, default=list, verbose_name="flags")),
                        ("ordered_quantity", models.PositiveIntegerField(blank=True, null=True, verbose_name="ordered")),
                        ("change_reason", models.CharField(blank=True, max_length=200,
                                                           verbose_name="reason for the change")),
                        ("product", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                      to="inventory.product", verbose_name="product")),
                        ("stock_count", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                          related_name="suggestions", to="inventory.stockcount",
                                                          verbose_name="stock count")),
                    ],
                    options={
                        "verbose_name": "suggested order line",
                        "verbose_name_plural": "suggested order lines",
                        "ordering": ["stock_count", "product"],
                        "db_table": "visits_suggestedorderline",
                        "constraints": [
                            models.UniqueConstraint(fields=("stock_count", "product"), name="suggested_line_unique_product"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        # The tables take the inventory app's names (a rename: every row, index and constraint stays).
        migrations.AlterModelTable(name="dealerproduct", table=None),
        migrations.AlterModelTable(name="stockcount", table=None),
        migrations.AlterModelTable(name="stockcountline", table=None),
        migrations.AlterModelTable(name="suggestedorderline", table=None),
        # The first and last day of each period a count's suggestion read (its lines' periods, by position).
        migrations.AddField(
            model_name="stockcount",
            name="period_dates",
            field=models.JSONField(blank=True, default=list, verbose_name="period dates"),
        ),
    ]
