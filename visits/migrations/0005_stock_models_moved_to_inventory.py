"""One home for stock: the visits app forgets the stock models (state only); the
inventory app declared them over the same tables (inventory 0002)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("visits", "0004_stock_count_visit_link_dropped"),
        ("inventory", "0002_stock_models_from_visits"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SuggestedOrderLine"),
                migrations.DeleteModel(name="StockCountLine"),
                migrations.DeleteModel(name="StockCount"),
                migrations.DeleteModel(name="DealerProduct"),
            ],
            database_operations=[],
        ),
    ]
