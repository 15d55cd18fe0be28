from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.names import full_name

DEALER_USER_NEEDS_DEALER = _("A dealer user must belong to a dealer.")
ONLY_DEALER_USERS_HAVE_DEALER = _("Only a dealer user belongs to a dealer.")
ONLY_MANAGERS_HAVE_REGIONS = _("Only a regional manager is assigned regions.")


class Role(models.TextChoices):
    ADMIN = "admin", _("HQ admin")
    MANAGER = "manager", _("Regional manager")
    REP = "rep", _("Sales rep")
    FINANCE = "finance", _("Finance")
    WAREHOUSE = "warehouse", _("Warehouse")
    DEALER = "dealer", _("Dealer")


class DealerCrmUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: staff of the manufacturer or a dealer's user.

    What they may see follows from `role`, the `regions` of a manager and the
    `dealer` of a dealer user (SPEC "Who uses it"). A superuser is HQ admin.
    """

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.REP)
    dealer = models.ForeignKey(
        "dealers.Dealer", verbose_name=_("dealer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    regions = models.ManyToManyField(
        "regions.Region", verbose_name=_("regions"), blank=True, related_name="managers",
        help_text=_("For a regional manager: the regions whose dealers they oversee, with all sub-regions."),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True,
        help_text=_("Empty: follow the browser."),
    )

    objects = DealerCrmUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="dealer", dealer__isnull=False)
                | (~models.Q(role="dealer") & models.Q(dealer__isnull=True)),
                name="user_dealer_iff_dealer_role",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """The person's name as people write it: "Wei Zhang"; a Chinese name family
        name first and without a space ("张伟"); "" when no name is given."""
        return full_name(self.first_name, self.last_name)

    @property
    def display_name(self) -> str:
        """What the app calls the person: their name; a dealer's user without a
        name by its company's name; otherwise the username."""
        name = self.get_full_name()
        if name:
            return name
        if self.role == Role.DEALER and self.dealer_id:
            return self.dealer.name
        return self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.DEALER and not self.dealer_id:
            raise ValidationError({"dealer": DEALER_USER_NEEDS_DEALER})
        if self.role != Role.DEALER and self.dealer_id:
            raise ValidationError({"dealer": ONLY_DEALER_USERS_HAVE_DEALER})

    @property
    def is_hq_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def effective_role(self) -> str:
        """The role that decides access: a superuser is HQ admin whatever `role` says."""
        return Role.ADMIN if self.is_hq_admin else self.role

    @property
    def role_label(self) -> str:
        return Role(self.effective_role).label

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.effective_role in roles


class ApiToken(models.Model):
    """An API token (`Authorization: Token <key>`): issued at each sign-in, valid until
    `expires_at` (settings.API_TOKEN_TTL_HOURS), revoked by signing out.

    Only a SHA-256 digest of the key is stored, as the primary key: a request is
    one indexed lookup (with its user), and a copy of the database gives no one
    a usable token. SHA-256 of a 160-bit random key needs no slow hash: it cannot
    be guessed, only stolen, and the digest is what makes a stolen table useless.
    """

    digest = models.CharField(_("digest"), max_length=64, primary_key=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.digest[:8]}…"
