from dataclasses import replace

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from accounts import services
from accounts.forms import LanguageForm, LoginForm, ProfileForm
from common.navigation import role_home_url_name
from common.sections import Section, sections_for
from regions.selectors import regions_managed_by

WORKLIST_TEMPLATE = "includes/worklist_section.html"


class LoginView(auth_views.LoginView):
    """Django's sign-in page; while a user name or address is locked out it answers 429."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
        return response


# The interactive API docs (Swagger UI, served from drf-spectacular-sidecar with its
# script in a separate file, so the page needs no inline script under the CSP).
_swagger = SpectacularSwaggerSplitView.as_view(
    url_name="schema", permission_classes=[IsAuthenticated], template_name="api/swagger_ui.html"
)


def api_docs(request):
    """The API docs: a person who is not signed in goes to the sign-in page first;
    a token in the Authorization header works too."""
    if not request.user.is_authenticated and "HTTP_AUTHORIZATION" not in request.META:
        return redirect_to_login(request.get_full_path())
    return _swagger(request)


@login_required
def home(request):
    """Every role lands on its worklist: what is waiting for this user, each item a
    link to the list it comes from (the apps' "role_home" sections, common.worklists).
    An app may still send a role elsewhere with ROLE_HOME (common.navigation)."""
    url_name = role_home_url_name(request.user)
    if url_name:
        try:
            return redirect(url_name)
        except NoReverseMatch:
            pass
    return render_home(request)


def render_home(request):
    """The home page: a greeting, then the role's worklist cards."""
    return render(request, "accounts/home.html", {
        "sections": merge_worklists(sections_for("role_home", request=request)),
        "regions": regions_managed_by(request.user) if request.user.effective_role == "manager" else [],
    })


def merge_worklists(sections: list[Section]) -> list[Section]:
    """Worklist cards of several apps with the same anchor become one card (items in
    the order of their sections); other sections pass unchanged."""
    merged: list[Section] = []
    by_anchor: dict[str, Section] = {}
    for section in sections:
        if section.template != WORKLIST_TEMPLATE or not section.anchor:
            merged.append(section)
            continue
        if section.anchor in by_anchor:
            by_anchor[section.anchor].context["items"].extend(section.context["items"])
            continue
        copy = replace(section, context={**section.context, "items": list(section.context["items"])})
        by_anchor[section.anchor] = copy
        merged.append(copy)
    return merged


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.profile_update(user=request.user, **form.cleaned_data)
        if user.language:
            translation.activate(user.language)
        messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        _set_language_cookie(response, user.language)
        return response
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
def set_language(request):
    """The language switcher: remembered on the user (and in a cookie for the login page)."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("home")
    response = redirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
        _set_language_cookie(response, language)
    return response


def _set_language_cookie(response, language: str) -> None:
    from django.conf import settings

    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
