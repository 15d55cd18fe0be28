from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.models import ApiToken, User
        from accounts.tokens import forget_deleted_token, forget_saved_user
        from common.audit import audit_register

        # The API's token cache forgets a revoked token and a changed user at once (issue 16).
        post_delete.connect(forget_deleted_token, sender=ApiToken, dispatch_uid="api-token-cache-token")
        post_save.connect(forget_saved_user, sender=User, dispatch_uid="api-token-cache-user")

        # A user's role and what it is given (issue #12): the dealer, the regions, active or not.
        audit_register(User, key="user", fields=["role", "dealer", "is_active", "is_superuser"], m2m=["regions"])
