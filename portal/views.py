"""The dealer portal: the dealer user's home, and questions to the manufacturer
(the dealer asks; its rep and managers answer in the same thread)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.policy import is_dealer_user
from accounts.views import render_home
from common.exceptions import StateConflict
from common.forms import add_service_errors
from portal import services
from portal.forms import QuestionFilterForm, QuestionForm, ReplyForm
from portal.models import Question, QuestionStatus
from portal.selectors import QUESTION_STAFF_ROLES, question_detail, question_list

PAGE_SIZE = 25
ASKED = _("Your question was sent. You will be notified of the answer.")
REPLIED = _("Your reply was sent.")
CLOSED = _("The question is closed.")


def _require_question_access(user) -> None:
    if not (is_dealer_user(user) or user.effective_role in QUESTION_STAFF_ROLES):
        raise Http404


@login_required
def home(request):
    """The dealer user's home is its worklist (accounts.views.home, page "role_home"):
    big buttons for what a clerk does, its open orders, latest suggestion, rebate
    progress and the answers to its questions. Kept at /portal/ for old links."""
    if not is_dealer_user(request.user):
        return redirect("home")
    return render_home(request)


@login_required
def question_list_page(request):
    """A dealer's own questions, or the staff's inbox of questions from the dealers in their scope."""
    user = request.user
    _require_question_access(user)
    dealer_user = is_dealer_user(user)
    data = request.GET.copy()
    if not dealer_user and "status" not in data:
        data["status"] = QuestionStatus.OPEN  # the inbox opens on what awaits an answer
    form = QuestionFilterForm(data)
    form.is_valid()
    values = getattr(form, "cleaned_data", {})
    questions = question_list(user=user)
    if values.get("status"):
        questions = questions.filter(status=values["status"])
    if values.get("q"):
        term = values["q"]
        questions = questions.filter(Q(subject__icontains=term) | Q(dealer__name__icontains=term) | Q(dealer__code__icontains=term))
    page = Paginator(questions.order_by("-last_message_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    awaiting = None if dealer_user else question_list(user=user).filter(status=QuestionStatus.OPEN).count()
    return render(request, "portal/question_list.html", {
        "page": page, "form": form, "dealer_user": dealer_user, "awaiting": awaiting,
    })


@login_required
def question_create(request):
    user = request.user
    if not is_dealer_user(user):
        raise PermissionDenied
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_ask(by=user, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, ASKED)
            return redirect("portal:question_detail", pk=question.pk)
    return render(request, "portal/question_form.html", {"form": form}, status=400 if form.errors else 200)


def _get_question(request, pk: int) -> Question:
    _require_question_access(request.user)
    try:
        return question_detail(user=request.user, pk=pk)
    except Question.DoesNotExist:
        raise Http404 from None


@login_required
def question_detail_page(request, pk: int):
    question = _get_question(request, pk)
    return render(request, "portal/question_detail.html", {
        "question": question, "form": ReplyForm(), "dealer_user": is_dealer_user(request.user),
    })


@login_required
@require_POST
def question_reply(request, pk: int):
    question = _get_question(request, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.question_reply(question=question, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, REPLIED)
            return redirect("portal:question_detail", pk=question.pk)
    return render(request, "portal/question_detail.html", {
        "question": question, "form": form, "dealer_user": is_dealer_user(request.user),
    }, status=400)


@login_required
@require_POST
def question_close(request, pk: int):
    question = _get_question(request, pk)
    try:
        services.question_close(question=question, by=request.user)
    except StateConflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, CLOSED)
    return redirect("portal:question_detail", pk=question.pk)
