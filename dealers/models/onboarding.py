"""The onboarding pipeline of a prospect: its source, stages and the three staged documents."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dealers.models.dealers import Dealer


class ProspectSource(models.TextChoices):
    """Where a prospect came from (SPEC §1)."""

    TRADE_SHOW = "trade_show", _("Trade show")
    REFERRAL = "referral", _("Referral")
    ONLINE_LISTING = "online_listing", _("Online listing")
    BUSINESS_REGISTRY = "business_registry", _("Business registry")
    STREET_CANVASSING = "street_canvassing", _("Street canvassing")
    INBOUND_AD = "inbound_ad", _("Inbound ad response")
    SELF_REGISTRATION = "self_registration", _("Self-registration")
    CAMPAIGN_LEAD = "campaign_lead", _("Lead from a promotion or event")


class OnboardingStage(models.TextChoices):
    """The onboarding pipeline's stages, in order (SPEC §1, seed 004)."""

    SOURCED = "sourced", _("Sourced")
    FIRST_MEETING = "first_meeting", _("First meeting")
    MEMO = "memo", _("Communication memo")
    PROPOSAL = "proposal", _("Cooperation proposal")
    SAMPLES = "samples", _("Samples and invitation")
    SIGNED = "signed", _("Contract signed")


STAGE_ORDER = list(OnboardingStage.values)
STAGE_DATE_FIELD = {
    OnboardingStage.SOURCED: "sourced_on",
    OnboardingStage.FIRST_MEETING: "first_meeting_on",
    OnboardingStage.MEMO: "memo_on",
    OnboardingStage.PROPOSAL: "proposal_on",
    OnboardingStage.SAMPLES: "samples_on",
    OnboardingStage.SIGNED: "signed_on",
}


class Onboarding(models.Model):
    """A prospect's way through the pipeline: source, stage, the date of each step,
    the next follow-up and the last contact (for the "going cold" reminder).
    The owner is the dealer's rep."""

    dealer = models.OneToOneField(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="onboarding")
    source = models.CharField(_("source"), max_length=32, choices=ProspectSource.choices, blank=True)
    stage = models.CharField(
        _("stage"), max_length=16, choices=OnboardingStage.choices, default=OnboardingStage.SOURCED, db_index=True
    )
    sourced_on = models.DateField(_("sourced on"), default=timezone.localdate)
    first_meeting_on = models.DateField(_("first meeting on"), null=True, blank=True)
    memo_on = models.DateField(_("memo on"), null=True, blank=True)
    proposal_on = models.DateField(_("proposal on"), null=True, blank=True)
    samples_on = models.DateField(_("samples and invitation on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True, db_index=True)
    # The latest contact (logged contact or a step taken); what "going cold" is measured from.
    last_contact_on = models.DateField(_("last contact"), default=timezone.localdate, db_index=True)

    class Meta:
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboardings")

    def __str__(self) -> str:
        return f"{self.dealer_id}: {self.stage}"

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)

    def steps(self) -> list[tuple[str, str, object]]:
        """(stage, label, date) for each step, in order."""
        return [(value, label, getattr(self, STAGE_DATE_FIELD[value])) for value, label in OnboardingStage.choices]

    def days_since_contact(self, today=None) -> int:
        return ((today or timezone.localdate()) - self.last_contact_on).days

    @property
    def is_cold(self) -> bool:
        return self.days_since_contact() >= settings.PROSPECT_COLD_AFTER_DAYS


class OnboardingDocument(models.Model):
    """A staged document the rep writes for a prospect, printable (SPEC §1).

    Subclasses list their sections in SECTIONS (field names, in print order).
    """

    STAGE: str = ""
    SECTIONS: tuple[str, ...] = ()
    REQUIRED: tuple[str, ...] = ()

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_on = models.DateField(_("date"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        missing = {name: ValidationError(_("This section is required."), code="required")
                   for name in self.REQUIRED if not str(getattr(self, name) or "").strip()}
        if missing:
            raise ValidationError(missing)

    def sections(self) -> list[tuple[str, object]]:
        """(heading, text) in print order."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.SECTIONS]


class CommunicationMemo(OnboardingDocument):
    """沟通备忘录: organised by topic, not a transcript, plus answers to the
    questions the dealer raised at parting."""

    STAGE = OnboardingStage.MEMO
    SECTIONS = ("introductions", "market_situation", "product_outline", "other_concerns", "parting_answers")
    REQUIRED = ("introductions", "market_situation", "product_outline", "other_concerns")

    dealer = models.OneToOneField(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="memo")
    introductions = models.TextField(_("Introductions of both sides"), blank=True)
    market_situation = models.TextField(_("Channel and local market situation"), blank=True)
    product_outline = models.TextField(_("Product and operation outline"), blank=True)
    other_concerns = models.TextField(_("Other concerns"), blank=True)
    parting_answers = models.TextField(_("Answers to the questions the dealer raised at parting"), blank=True)

    class Meta:
        verbose_name = _("communication memo")
        verbose_name_plural = _("communication memos")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.dealer_id}"


class CooperationProposal(OnboardingDocument):
    """合作建议文件, five sections."""

    STAGE = OnboardingStage.PROPOSAL
    SECTIONS = ("market_opportunity", "portfolio_fit", "market_walk_report", "launch_plan", "other_markets")
    REQUIRED = SECTIONS

    dealer = models.OneToOneField(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="proposal")
    market_opportunity = models.TextField(_("Market entry opportunity"), blank=True)
    portfolio_fit = models.TextField(_("How our products improve the dealer's current portfolio"), blank=True)
    market_walk_report = models.TextField(_("Market walk report"), blank=True)
    launch_plan = models.TextField(_("Preliminary launch plan (phased)"), blank=True)
    other_markets = models.TextField(_("How other markets are doing, problems included"), blank=True)

    class Meta:
        verbose_name = _("cooperation proposal")
        verbose_name_plural = _("cooperation proposals")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.dealer_id}"


class InvitationKind(models.TextChoices):
    FACTORY_VISIT = "factory_visit", _("Factory visit")
    DEALER_CONFERENCE = "dealer_conference", _("Dealer conference")


class SamplesInvitation(OnboardingDocument):
    """产品赠送和参观邀请: samples sent for the dealer's staff, and an invitation to
    visit the factory or the dealer conference."""

    STAGE = OnboardingStage.SAMPLES
    SECTIONS = ("samples_sent", "invitation", "dealer_response")
    REQUIRED = ("samples_sent", "invitation")

    dealer = models.OneToOneField(
        Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="samples_invitation"
    )
    samples_sent = models.TextField(_("Samples sent for the dealer's staff"), blank=True)
    invitation_kind = models.CharField(
        _("invitation to"), max_length=32, choices=InvitationKind.choices, default=InvitationKind.FACTORY_VISIT
    )
    invitation = models.TextField(_("Invitation"), blank=True)
    event_on = models.DateField(_("visit or conference date"), null=True, blank=True)
    dealer_response = models.TextField(_("The dealer's response"), blank=True)

    class Meta:
        verbose_name = _("samples and invitation")
        verbose_name_plural = _("samples and invitations")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.dealer_id}"


DOCUMENT_MODELS = {"memo": CommunicationMemo, "proposal": CooperationProposal, "samples": SamplesInvitation}
