"""Users, their roles and assignments (a rep's dealers, a manager's regions, a
dealer user's company), evaluation criteria and grade thresholds, rebate plans,
visit-plan defaults and notification settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import services as account_services
from accounts.models import Role, User
from common.audit import audit_history
from common.forms import add_service_errors
from dealers import services as dealer_services
from dealers.models import Dealer, DealerStatus, EvaluationCriterion, GradeSettings
from hq.forms import (
    AssignDealersForm,
    CriterionForm,
    NotificationSettingsForm,
    RebateAssignForm,
    RebatePlanForm,
    ThresholdsForm,
    UserForm,
    VisitPlanDefaultsForm,
)
from hq.selectors import users_list
from hq.views.common import hq_admin_required
from notifications.models import NotificationSettings
from notifications.services import notification_settings_update
from rebates import services as rebate_services
from rebates.models import RebateAssignment, RebatePlan
from regions.selectors import region_name_paths
from visits import services as visit_services
from visits.models import VisitPlan, VisitPlanDefaults

PAGE_SIZE = 50
DEALER_CODES_UNKNOWN = gettext_lazy("Unknown dealer code(s): %(codes)s.")


# --- users -------------------------------------------------------------------------------------
@hq_admin_required
def users(request):
    role = request.GET.get("role", "")
    query = request.GET.get("q", "").strip()
    rows = users_list(search=query, role=role if role in Role.values else "").annotate(
        dealer_count=Count("assigned_dealers", distinct=True))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    paths = region_name_paths() if any(user.role == Role.MANAGER for user in page) else {}
    return render(request, "hq/users.html", {"page": page, "roles": Role.choices, "role": role, "query": query,
                                             "paths": paths})


@hq_admin_required
def user_create(request):
    form = UserForm(request.POST or None, creating=True, initial={"role": request.GET.get("role") or Role.REP,
                                                                  "is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            user = account_services.user_create(
                **form.user_fields(), password=form.cleaned_data["password"] or None,
                regions=form.cleaned_data["regions"] if form.cleaned_data["role"] == Role.MANAGER else (),
                by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.cleaned_data["password"]:
                messages.success(request, _("User %(username)s added.") % {"username": user.username})
            else:
                messages.success(request, _("User %(username)s added; an invitation to choose a password was "
                                            "emailed to %(email)s.") % {"username": user.username, "email": user.email})
            return redirect("hq:user_edit", pk=user.pk)
    return render(request, "hq/user_form.html", {"form": form, "person": None})


@hq_admin_required
def user_edit(request, pk: int):
    person = get_object_or_404(User.objects.prefetch_related("regions"), pk=pk)
    initial = {name: getattr(person, name) for name in (
        "username", "first_name", "last_name", "email", "phone", "role", "language", "is_active")}
    initial.update({"dealer": person.dealer_id, "regions": list(person.regions.all())})
    form = UserForm(request.POST or None, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.user_update(
                user=person, **form.user_fields(), password=form.cleaned_data["password"] or None,
                regions=form.cleaned_data["regions"] if form.cleaned_data["role"] == Role.MANAGER else None,
                by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("User %(username)s saved.") % {"username": form.cleaned_data["username"]})
            return redirect("hq:user_edit", pk=person.pk)
    dealers = Dealer.objects.filter(rep=person).select_related("region").order_by("name") \
        if person.role == Role.REP else Dealer.objects.none()
    return render(request, "hq/user_form.html", {
        "form": form, "person": person, "assign_form": AssignDealersForm(),
        "dealers": dealers[:100], "dealer_total": dealers.count(),
        # Who changed this person's role, company, regions or activity, and when (issue #12).
        "audit": audit_history(instance=person),
    })


@hq_admin_required
@require_POST
def user_invite(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    if not person.email:
        messages.error(request, _("This user has no email address."))
    else:
        account_services.user_invitation_resend(user=person)
        messages.success(request, _("The invitation was emailed to %(email)s again.") % {"email": person.email})
    return redirect("hq:user_edit", pk=pk)


@hq_admin_required
@require_POST
def user_assign_dealers(request, pk: int):
    """Make this rep responsible for dealers given by code (each change kept in the
    dealer's assignment history), all of them or none."""
    rep = get_object_or_404(User, pk=pk, role=Role.REP)
    form = AssignDealersForm(request.POST)
    if form.is_valid():
        codes = form.code_list()
        dealers = Dealer.objects.in_bulk(codes, field_name="code")
        unknown = [code for code in codes if code not in dealers]
        if unknown:
            messages.error(request, str(DEALER_CODES_UNKNOWN % {"codes": ", ".join(unknown)}))
        else:
            try:
                with transaction.atomic():
                    moved = 0
                    for dealer in dealers.values():
                        if dealer.rep_id != rep.pk:
                            dealer_services.dealer_assign_rep(dealer=dealer, rep=rep, assigned_by=request.user,
                                                              reason=form.cleaned_data["reason"])
                            moved += 1
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(count)s dealer(s) assigned to %(rep)s.") % {"count": moved, "rep": rep})
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect(reverse("hq:user_edit", args=[pk]) + "#dealers")


# --- evaluation criteria and grade thresholds --------------------------------------------------
@hq_admin_required
def evaluation(request):
    criteria = EvaluationCriterion.objects.order_by("order", "code")
    current = GradeSettings.current()
    thresholds = ThresholdsForm(request.POST if request.POST.get("form") == "thresholds" else None,
                                initial={"a_min": current.a_min, "b_min": current.b_min, "c_min": current.c_min})
    new = CriterionForm(request.POST if request.POST.get("form") == "criterion" else None)
    if request.method == "POST":
        form = thresholds if request.POST.get("form") == "thresholds" else new
        if form.is_valid():
            try:
                if form is thresholds:
                    dealer_services.grade_thresholds_update(**form.cleaned_data, by=request.user)
                else:
                    dealer_services.evaluation_criterion_create(**form.cleaned_data, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("hq:evaluation")
    return render(request, "hq/evaluation.html", {"criteria": criteria, "thresholds": thresholds, "new": new})


@hq_admin_required
def criterion_edit(request, pk: int):
    criterion = get_object_or_404(EvaluationCriterion, pk=pk)
    initial = {name: getattr(criterion, name) for name in ("code", "name_en", "name_zh", "weight", "order", "active")}
    form = CriterionForm(request.POST or None, initial=initial, criterion=criterion)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "code"}
        try:
            dealer_services.evaluation_criterion_update(criterion=criterion, **data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Criterion saved."))
            return redirect("hq:evaluation")
    return render(request, "hq/criterion_form.html", {"form": form, "criterion": criterion})


# --- rebate plans ------------------------------------------------------------------------------
@hq_admin_required
def rebate_plans(request):
    plans = RebatePlan.objects.annotate(dealer_count=Count("assignments", distinct=True)).order_by("-is_active", "name")
    return render(request, "hq/rebate_plans.html", {"plans": plans})


def _plan_form_page(request, plan: RebatePlan | None):
    if plan is None:
        initial = {"is_active": True, "kind": "flat", "period_kind": "quarter"}
    else:
        initial = {name: getattr(plan, name) for name in (
            "code", "name", "kind", "period_kind", "rate", "starts_on", "ends_on", "description", "is_active")}
        initial["tiers"] = "\n".join(f"{tier.threshold}: {tier.rate}" for tier in plan.tiers.order_by("threshold"))
        initial["products"] = list(plan.products.all())
    form = RebatePlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        tiers = [rebate_services.TierInput(threshold=threshold, rate=rate) for threshold, rate in data.pop("tiers")]
        product_ids = [product.pk for product in data.pop("products")]
        try:
            if plan is None:
                plan = rebate_services.rebate_plan_create(**data, tiers=tiers, product_ids=product_ids, by=request.user)
            else:
                plan = rebate_services.rebate_plan_update(plan=plan, **data, tiers=tiers, product_ids=product_ids,
                                                          by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rebate plan %(code)s saved.") % {"code": plan.code})
            return redirect("hq:rebate_plan_edit", pk=plan.pk)
    assignments = RebateAssignment.objects.filter(plan=plan).select_related("dealer").order_by("dealer__name") \
        if plan else RebateAssignment.objects.none()
    return render(request, "hq/rebate_plan_form.html", {
        "form": form, "plan": plan, "assignments": assignments[:200], "assign_form": RebateAssignForm()})


@hq_admin_required
def rebate_plan_create(request):
    return _plan_form_page(request, None)


@hq_admin_required
def rebate_plan_edit(request, pk: int):
    return _plan_form_page(request, get_object_or_404(RebatePlan, pk=pk))


@hq_admin_required
@require_POST
def rebate_plan_assign(request, pk: int):
    plan = get_object_or_404(RebatePlan, pk=pk)
    form = RebateAssignForm(request.POST)
    if form.is_valid():
        dealer = Dealer.objects.filter(code=form.cleaned_data["code"].strip()).first()
        if dealer is None:
            messages.error(request, str(DEALER_CODES_UNKNOWN % {"codes": form.cleaned_data["code"]}))
        else:
            try:
                rebate_services.rebate_assignment_create(plan=plan, dealer=dealer, by=request.user,
                                                         starts_on=form.cleaned_data["starts_on"],
                                                         ends_on=form.cleaned_data["ends_on"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(dealer)s now has this plan.") % {"dealer": dealer.name})
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect(reverse("hq:rebate_plan_edit", args=[pk]) + "#dealers")


@hq_admin_required
@require_POST
def rebate_assignment_remove(request, pk: int):
    assignment = get_object_or_404(RebateAssignment.objects.select_related("dealer"), pk=pk)
    rebate_services.rebate_assignment_delete(assignment=assignment, by=request.user)
    messages.success(request, _("%(dealer)s no longer has this plan.") % {"dealer": assignment.dealer.name})
    return redirect(reverse("hq:rebate_plan_edit", args=[assignment.plan_id]) + "#dealers")


# --- visit plans -------------------------------------------------------------------------------
def _unplanned_dealers():
    """Active dealers with a rep and no visit plan: those the default plan would cover."""
    return (Dealer.objects.filter(status=DealerStatus.ACTIVE, rep__isnull=False, rep__is_active=True)
            .exclude(Exists(VisitPlan.objects.filter(dealer=OuterRef("pk"))))
            .select_related("rep", "region").order_by("name"))


@hq_admin_required
def visit_plans(request):
    defaults = VisitPlanDefaults.current()
    initial = {"rule": defaults.rule, "month_days": ", ".join(str(day) for day in defaults.month_days),
               "weekdays": defaults.weekdays, "interval_days": defaults.interval_days,
               "visit_time": defaults.visit_time, "weeks_ahead": defaults.weeks_ahead}
    form = VisitPlanDefaultsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            visit_services.visit_plan_defaults_update(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Visit plan defaults saved."))
            return redirect("hq:visit_plans")
    unplanned = _unplanned_dealers()
    page = Paginator(unplanned, PAGE_SIZE).get_page(request.GET.get("page"))
    planned = VisitPlan.objects.filter(is_active=True).count()
    return render(request, "hq/visit_plans.html", {"form": form, "page": page, "planned": planned,
                                                   "defaults": defaults})


@hq_admin_required
@require_POST
def visit_plans_apply(request):
    """Give every active dealer without a plan the default plan (one service call per dealer)."""
    dealers = list(_unplanned_dealers()[:500])
    try:
        with transaction.atomic():
            made = visit_services.visit_plans_apply_defaults(dealers=dealers, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s dealer(s) now have a visit plan; their visits are planned.")
                         % {"count": made})
    return redirect("hq:visit_plans")


# --- notifications -----------------------------------------------------------------------------
@hq_admin_required
def notification_settings(request):
    options = NotificationSettings.current()
    form = NotificationSettingsForm(request.POST or None, initial={
        "email_enabled": options.email_enabled, "subject_prefix": options.subject_prefix, "reply_to": options.reply_to})
    if request.method == "POST" and form.is_valid():
        try:
            notification_settings_update(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Notification settings saved."))
            return redirect("hq:notifications")
    from django.conf import settings

    environment = {"EMAIL_BACKEND": settings.EMAIL_BACKEND, "EMAIL_HOST": settings.EMAIL_HOST,
                   "EMAIL_PORT": settings.EMAIL_PORT, "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
                   "SITE_URL": settings.SITE_URL}
    return render(request, "hq/notifications.html", {"form": form, "environment": environment})
