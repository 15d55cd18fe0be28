"""Stock counts, step 2 of 3: every count's visit is copied into its reference
("visit:<id>"), and where a visit holds several counts (recounts saved before
"one count per visit"), the earlier ones are marked replaced by the next, so
that exactly one count per visit is current. No row is deleted or changed
otherwise; stored suggestions stay as they were."""

from django.db import migrations
from django.db.models import CharField, Count, Value
from django.db.models.functions import Cast, Concat

PREFIX = "visit:"


def forwards(apps, schema_editor):
    StockCount = apps.get_model("visits", "StockCount")
    StockCount.objects.filter(visit__isnull=False).update(
        reference=Concat(Value(PREFIX), Cast("visit_id", output_field=CharField()))
    )
    repeated = (
        StockCount.objects.filter(visit__isnull=False).values("visit_id").annotate(n=Count("id")).filter(n__gt=1)
        .values_list("visit_id", flat=True)
    )
    for visit_id in list(repeated):
        counts = list(StockCount.objects.filter(visit_id=visit_id).order_by("counted_at", "id"))
        for earlier, later in zip(counts, counts[1:], strict=False):
            earlier.replaced_at = later.created_at
            earlier.save(update_fields=["replaced_at"])
            later.replaces_id = earlier.pk
            later.save(update_fields=["replaces"])


def backwards(apps, schema_editor):
    StockCount = apps.get_model("visits", "StockCount")
    for pk, reference in StockCount.objects.filter(reference__startswith=PREFIX).values_list("pk", "reference"):
        suffix = reference[len(PREFIX):]
        if suffix.isdigit():
            StockCount.objects.filter(pk=pk).update(visit_id=int(suffix))


class Migration(migrations.Migration):

    dependencies = [
        ("visits", "0002_stock_count_reference_and_replacement_fields"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
