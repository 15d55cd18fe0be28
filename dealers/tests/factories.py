from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from dealers.models import (
    ApplicationStatus,
    ContactLog,
    Contract,
    ContractStatus,
    Dealer,
    DealerApplication,
    DealerContact,
    DealerStatus,
    DealerTier,
    Onboarding,
    OnboardingStage,
    ProspectSource,
    Severity,
    Violation,
    ViolationType,
)

BUILTIN_CRITERIA = ["marketing_awareness", "market_coverage", "management", "financial_strength", "reputation", "cooperation"]


def ensure_builtin_criteria() -> None:
    """The six built-in criteria come with a data migration; a transactional test
    (a browser test) flushes them away, so it calls this first."""
    from importlib import import_module

    from dealers.models import EvaluationCriterion

    migration = import_module("dealers.migrations.0003_builtin_evaluation_criteria")
    for code, name_en, name_zh, order in migration.CRITERIA:
        EvaluationCriterion.objects.get_or_create(code=code, defaults={"name_en": name_en, "name_zh": name_zh, "order": order})


def all_scores(value: int = 4) -> dict[str, int]:
    """A score for every built-in criterion."""
    return dict.fromkeys(BUILTIN_CRITERIA, value)


class DealerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dealer

    code = factory.Sequence(lambda n: f"D{n:05d}")
    name = factory.Sequence(lambda n: f"Dealer {n} Trading Co.")
    region = factory.SubFactory("regions.tests.factories.RegionFactory")
    tier = DealerTier.CITY
    status = DealerStatus.ACTIVE
    rep = factory.SubFactory("accounts.tests.factories.RepFactory")
    credit_limit = Decimal("100000.00")


class ProspectFactory(DealerFactory):
    """A dealer in the pipeline, with its onboarding record."""

    class Meta:
        skip_postgeneration_save = True

    status = DealerStatus.PROSPECT
    credit_limit = Decimal("0")
    onboarding = factory.RelatedFactory("dealers.tests.factories.OnboardingFactory", factory_related_name="dealer")


class OnboardingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Onboarding

    dealer = factory.SubFactory(ProspectFactory, onboarding=None)
    source = ProspectSource.TRADE_SHOW
    stage = OnboardingStage.SOURCED
    sourced_on = factory.LazyFunction(timezone.localdate)
    last_contact_on = factory.LazyFunction(timezone.localdate)


class DealerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealerContact

    dealer = factory.SubFactory(DealerFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    phone = "13800000000"


class ContactLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactLog

    dealer = factory.SubFactory(DealerFactory)
    logged_by = factory.SelfAttribute("dealer.rep")
    summary = "Talked about the launch."


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    dealer = factory.SubFactory(DealerFactory)
    number = factory.Sequence(lambda n: f"HT-{n:04d}")
    status = ContractStatus.SIGNED
    territory = "The dealer's county"
    product_lines = "Drinks, snacks"
    annual_target_amount = Decimal("500000.00")
    annual_target_volume = 10000
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=200))
    end_date = factory.LazyAttribute(lambda contract: contract.start_date + timedelta(days=365))
    signed_at = factory.LazyFunction(timezone.now)


class DraftContractFactory(ContractFactory):
    status = ContractStatus.DRAFT
    signed_at = None


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Violation

    dealer = factory.SubFactory(DealerFactory)
    type = ViolationType.CROSS_TERRITORY
    evidence = "Our cases with this dealer's batch code found outside its territory."
    found_where = "A supermarket in the next city"
    severity = Severity.MEDIUM
    reported_by = factory.SelfAttribute("dealer.rep")


class DealerApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealerApplication

    company_name = factory.Sequence(lambda n: f"Applicant {n} Ltd.")
    contact_name = "Chen Li"
    phone = "13900000000"
    email = factory.Sequence(lambda n: f"applicant{n}@example.com")
    region = factory.SubFactory("regions.tests.factories.RegionFactory")
    status = ApplicationStatus.SUBMITTED
