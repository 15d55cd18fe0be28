"""A contract's product lines as product categories: their products are carried by
the dealer from the contract's start date once it is signed (SPEC §3 "Counts in
daily life"). The free-text product lines stay as they were."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("dealers", "0006_dealer_name_index"),
        ("inventory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="contract",
            name="product_categories",
            field=models.ManyToManyField(
                blank=True, related_name="contracts", to="inventory.productcategory", verbose_name="product categories",
                help_text="The categories this contract covers: once it is signed, their products are on the dealer's "
                          "stock count from the start date.",
            ),
        ),
    ]
