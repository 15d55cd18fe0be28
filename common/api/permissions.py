"""Who may call what, for the API. The same role checks serve the pages."""

from rest_framework import permissions


class IsHQAdmin(permissions.BasePermission):
    message = "Only an HQ admin may do this."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_hq_admin)


class IsHQAdminOrReadOnly(permissions.BasePermission):
    """Anyone signed in reads; only HQ admin writes (products, regions, price lists)."""

    message = "Only an HQ admin may change this."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or request.user.is_hq_admin


def has_roles(*roles: str) -> type[permissions.BasePermission]:
    """A permission class that lets only the given roles through (HQ admin always)."""

    class HasRoles(permissions.BasePermission):
        message = "Your role may not do this."

        def has_permission(self, request, view) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and (user.is_hq_admin or user.effective_role in roles))

    HasRoles.__name__ = "HasRoles_" + "_".join(roles)
    return HasRoles
