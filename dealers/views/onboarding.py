"""The onboarding pipeline: the board, new prospects, a prospect's page and its three documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from common.exceptions import StateConflict
from dealers import services
from dealers.forms import ContactLogForm, OnboardingForm, ProspectForm, apply_service_errors, document_form_class
from dealers.models import DOCUMENT_MODELS, DealerStatus, OnboardingStage
from dealers.permissions import Action, can, require
from dealers.selectors import prospect_queryset_for
from dealers.views.helpers import conflict, form_page, scoped_dealer

BOARD_STAGES = [stage for stage in OnboardingStage if stage != OnboardingStage.SIGNED]
BOARD_LIMIT_PER_STAGE = 100


@login_required
def pipeline(request):
    """Prospects by stage, one column each (they scroll sideways on a phone, snapping per column)."""
    require(request.user, Action.VIEW_INTERNAL)
    prospects = prospect_queryset_for(request.user).select_related("rep", "region").order_by(
        "onboarding__next_follow_up_on", "name"
    )
    rep_id = request.GET.get("rep")
    if rep_id and rep_id.isdigit():
        prospects = prospects.filter(rep_id=rep_id)
    columns = {stage: [] for stage in BOARD_STAGES}
    for dealer in prospects[: BOARD_LIMIT_PER_STAGE * len(BOARD_STAGES)]:
        columns.setdefault(dealer.onboarding.stage, []).append(dealer)
    context = {
        "columns": [(stage, columns.get(stage, [])) for stage in BOARD_STAGES],
        "today": timezone.localdate(),
        "can_create": can(request.user, Action.CREATE_PROSPECT),
    }
    return render(request, "dealers/pipeline.html", context)


@login_required
def prospect_create(request):
    """A rep records a prospect they found; it is theirs. A manager may give it to any rep."""
    require(request.user, Action.CREATE_PROSPECT)
    form = ProspectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rep = request.user if request.user.effective_role == Role.REP else data.pop("rep")
        data.pop("rep", None)
        try:
            dealer = services.dealer_create(created_by=request.user, rep=rep, status=DealerStatus.PROSPECT, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Prospect %(name)s recorded.") % {"name": dealer.name})
            return redirect("dealers:onboarding", pk=dealer.pk)
    return form_page(request, form=form, title=_("New prospect"), cancel_url=reverse("dealers:pipeline"))


@login_required
def onboarding_page(request, pk: int):
    """A prospect: stage and dates, next follow-up, contact log, and the three documents."""
    dealer = scoped_dealer(request, pk, Action.VIEW_INTERNAL)
    onboarding = getattr(dealer, "onboarding", None)
    if onboarding is None:
        raise Http404
    may_work = can(request.user, Action.WORK_ONBOARDING) and dealer.in_pipeline
    form = None
    if may_work:
        form = OnboardingForm(request.POST or None, initial={
            "stage": onboarding.stage, "source": onboarding.source, "next_follow_up_on": onboarding.next_follow_up_on,
        })
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.onboarding_update(
                    dealer=dealer, updated_by=request.user, stage=data["stage"], step_on=data["step_on"],
                    source=data["source"], next_follow_up_on=data["next_follow_up_on"],
                    clear_follow_up=not data["next_follow_up_on"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except StateConflict as error:
                return conflict(request, error, reverse("dealers:onboarding", args=[dealer.pk]))
            else:
                messages.success(request, _("Saved."))
                return redirect("dealers:onboarding", pk=dealer.pk)
    documents = [(kind, model._meta.verbose_name, model.objects.filter(dealer=dealer).first())
                 for kind, model in DOCUMENT_MODELS.items()]
    context = {
        "dealer": dealer, "onboarding": onboarding, "form": form, "may_work": may_work,
        "documents": documents,
        "contact_logs": list(dealer.contact_logs.select_related("logged_by")[:20]),
        "contact_log_form": ContactLogForm() if may_work else None,
        "can_assign": can(request.user, Action.ASSIGN_REP) and dealer.in_pipeline,
        "can_contract": can(request.user, Action.DRAFT_CONTRACT) and dealer.in_pipeline,
    }
    return render(request, "dealers/onboarding.html", context)


def _document_model(kind: str):
    model = DOCUMENT_MODELS.get(kind)
    if model is None:
        raise Http404
    return model


@login_required
def document_view(request, pk: int, kind: str):
    """A staged document, ready to print."""
    dealer = scoped_dealer(request, pk, Action.VIEW_INTERNAL)
    model = _document_model(kind)
    document = model.objects.filter(dealer=dealer).select_related("author").first()
    if document is None:
        if can(request.user, Action.WORK_ONBOARDING) and dealer.in_pipeline:
            return redirect("dealers:document_edit", pk=dealer.pk, kind=kind)
        raise Http404
    context = {"dealer": dealer, "document": document, "kind": kind, "title": model._meta.verbose_name,
               "may_edit": can(request.user, Action.WORK_ONBOARDING) and dealer.in_pipeline}
    return render(request, "dealers/document.html", context)


@login_required
def document_edit(request, pk: int, kind: str):
    dealer = scoped_dealer(request, pk, Action.WORK_ONBOARDING)
    model = _document_model(kind)
    if not dealer.in_pipeline:
        return conflict(request, services.ONBOARDING_FINISHED, reverse("dealers:detail", args=[dealer.pk]))
    document = model.objects.filter(dealer=dealer).first()
    form = document_form_class(kind)(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.onboarding_document_save(dealer=dealer, document_class=model, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except StateConflict as error:
            return conflict(request, error, reverse("dealers:onboarding", args=[dealer.pk]))
        else:
            messages.success(request, _("%(document)s saved.") % {"document": model._meta.verbose_name})
            return redirect("dealers:document", pk=dealer.pk, kind=kind)
    return form_page(request, form=form, title=model._meta.verbose_name, dealer=dealer,
                     cancel_url=reverse("dealers:onboarding", args=[dealer.pk]), submit_label=_("Save document"))
