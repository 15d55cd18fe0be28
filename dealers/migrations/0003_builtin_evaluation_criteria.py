"""The six built-in evaluation criteria (API.md codes, SPEC §1) and the default
grade thresholds (A ≥ 4.0, B ≥ 3.0, C ≥ 2.0). HQ may change weights and add criteria."""

from decimal import Decimal

from django.db import migrations

CRITERIA = [
    # code, English, Chinese, order
    ("marketing_awareness", "Marketing awareness", "行销意识", 10),
    ("market_coverage", "Market coverage and network", "市场覆盖/网络", 20),
    ("management", "Management capability", "管理能力", 30),
    ("financial_strength", "Financial strength", "资金实力", 40),
    ("reputation", "Reputation and credit", "信誉", 50),
    ("cooperation", "Willingness to cooperate", "合作意愿", 60),
]


def create(apps, schema_editor):
    criterion = apps.get_model("dealers", "EvaluationCriterion")
    for code, name_en, name_zh, order in CRITERIA:
        criterion.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_zh": name_zh, "order": order, "weight": Decimal("1.00")}
        )
    apps.get_model("dealers", "GradeSettings").objects.get_or_create(pk=1)


def remove(apps, schema_editor):
    apps.get_model("dealers", "EvaluationCriterion").objects.filter(code__in=[row[0] for row in CRITERIA]).delete()


class Migration(migrations.Migration):
    dependencies = [("dealers", "0002_dealer_record_onboarding_contracts_evaluations")]

    operations = [migrations.RunPython(create, remove)]
