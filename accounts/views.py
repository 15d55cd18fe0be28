from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import LanguageForm, ProfileForm
from common.navigation import role_home_url_name
from dealers.selectors import dealer_queryset_for
from notifications.selectors import notification_list
from regions.selectors import regions_managed_by


@login_required
def home(request):
    """Where each role lands: its own main page once an app provides it,
    otherwise an overview of what is already real for this user."""
    url_name = role_home_url_name(request.user)
    if url_name:
        try:
            return redirect(url_name)
        except NoReverseMatch:
            pass
    user = request.user
    dealers = dealer_queryset_for(user).select_related("region", "rep")
    context = {
        "regions": regions_managed_by(user),
        "dealer_count": dealers.count(),
        "dealers": dealers.order_by("name")[:10],
        "notifications": notification_list(user=user)[:5],
    }
    return render(request, "accounts/home.html", context)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
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
