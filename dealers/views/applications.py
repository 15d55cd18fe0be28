"""Self-registration: the public application form, and the review → approval path."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from common.exceptions import StateConflict
from dealers import services
from dealers.forms import (
    APPLICATION_FILTER_CHOICES,
    ApplicationApproveForm,
    ApplicationForm,
    ApplicationRejectForm,
    ApplicationReviewForm,
    apply_service_errors,
)
from dealers.models import ApplicationStatus
from dealers.permissions import Action, can, require
from dealers.selectors import application_queryset_for
from dealers.views.helpers import conflict

TOO_MANY_APPLICATIONS = gettext_lazy("Too many applications from your network in the last hour. Please try again later.")


def client_ip(request) -> str | None:
    """The caller's address as the server sees it (configure the proxy to pass REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR")


def apply(request):
    """The public application form (no sign-in). A honeypot field and a per-address
    hourly limit keep robots out; nothing is saved for either."""
    form = ApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_spam():
            return redirect("apply:thanks")
        if form.is_valid():
            if services.application_rate_limited(ip_address=client_ip(request)):
                form.add_error(None, TOO_MANY_APPLICATIONS)
                status = 429
            else:
                data = {name: value for name, value in form.cleaned_data.items() if name != "website"}
                try:
                    services.application_submit(ip_address=client_ip(request), language=translation.get_language() or "", **data)
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    return redirect("apply:thanks")
        if status == 200:
            status = 400
    return render(request, "dealers/apply.html", {"form": form}, status=status)


def apply_thanks(request):
    return render(request, "dealers/apply_thanks.html")


@login_required
def application_list(request):
    require(request.user, Action.REVIEW_APPLICATION)
    show = request.GET.get("status", "open")
    applications = application_queryset_for(request.user).select_related("region", "reviewed_by")
    if show == "open":
        applications = applications.filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED])
    elif show in ApplicationStatus.values:
        applications = applications.filter(status=show)
    page = Paginator(applications, 25).get_page(request.GET.get("page"))
    return render(request, "dealers/application_list.html", {
        "page": page, "show": show, "choices": APPLICATION_FILTER_CHOICES,
    })


def _scoped_application(request, pk: int):
    require(request.user, Action.REVIEW_APPLICATION)
    return get_object_or_404(
        application_queryset_for(request.user).select_related("region", "reviewed_by", "decided_by", "dealer"), pk=pk
    )


def _detail(request, application, *, review_form=None, reject_form=None, approve_form=None, status=200):
    user = request.user
    submitted = application.status == ApplicationStatus.SUBMITTED
    may_decide = can(user, Action.DECIDE_APPLICATION) and application.is_open
    context = {
        "application": application,
        "review_form": review_form or (ApplicationReviewForm() if submitted else None),
        "reject_form": reject_form or (ApplicationRejectForm() if (submitted or may_decide) and application.is_open else None),
        "approve_form": approve_form or (ApplicationApproveForm(user=user, application=application) if may_decide else None),
        "approve_directly": may_decide and submitted,
        "portal_users": list(User.objects.filter(dealer=application.dealer, role=Role.DEALER)) if application.dealer_id else [],
        "may_resend": can(user, Action.DECIDE_APPLICATION) and application.status == ApplicationStatus.APPROVED,
    }
    return render(request, "dealers/application.html", context, status=status)


@login_required
def application_detail(request, pk: int):
    return _detail(request, _scoped_application(request, pk))


@login_required
@require_POST
def application_review(request, pk: int):
    application = _scoped_application(request, pk)
    form = ApplicationReviewForm(request.POST)
    if form.is_valid():
        try:
            services.application_review(application=application, reviewed_by=request.user, note=form.cleaned_data["note"])
        except StateConflict as error:
            return conflict(request, error, reverse("dealers:application", args=[pk]))
        if can(request.user, Action.DECIDE_APPLICATION):
            messages.success(request, _("Reviewed. You may approve it now, below."))
        else:
            messages.success(request, _("Reviewed: the application goes to a manager for approval."))
        return redirect("dealers:application", pk=pk)
    return _detail(request, application, review_form=form, status=400)


@login_required
@require_POST
def application_reject(request, pk: int):
    application = _scoped_application(request, pk)
    if application.status == ApplicationStatus.REVIEWED:
        require(request.user, Action.DECIDE_APPLICATION)
    form = ApplicationRejectForm(request.POST)
    if form.is_valid():
        try:
            services.application_reject(application=application, rejected_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        except StateConflict as error:
            return conflict(request, error, reverse("dealers:application", args=[pk]))
        else:
            messages.success(request, _("Application rejected."))
            return redirect("dealers:application", pk=pk)
    return _detail(request, application, reject_form=form, status=400)


@login_required
@require_POST
def application_approve(request, pk: int):
    application = _scoped_application(request, pk)
    require(request.user, Action.DECIDE_APPLICATION)
    form = ApplicationApproveForm(request.POST, user=request.user, application=application)
    if form.is_valid():
        try:
            dealer = services.application_approve(application=application, approved_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except StateConflict as error:
            return conflict(request, error, reverse("dealers:application", args=[pk]))
        else:
            messages.success(request, _("Approved: %(dealer)s was created and its portal user was invited by email.") % {
                "dealer": dealer.name})
            return redirect("dealers:application", pk=pk)
    return _detail(request, application, approve_form=form, status=400)


@login_required
@require_POST
def application_resend_invitation(request, pk: int):
    """Email the approved dealer's portal users a fresh set-password link."""
    application = _scoped_application(request, pk)
    require(request.user, Action.DECIDE_APPLICATION)
    if application.status != ApplicationStatus.APPROVED or application.dealer_id is None:
        return conflict(request, services.APPLICATION_NOT_OPEN, reverse("dealers:application", args=[pk]))
    for user in User.objects.filter(dealer=application.dealer, role=Role.DEALER, is_active=True):
        services.dealer_user_invite(user=user)
    messages.success(request, _("Invitation sent again."))
    return redirect("dealers:application", pk=pk)
