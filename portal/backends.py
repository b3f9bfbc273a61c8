"""Permissions that follow from a user's role, so that no group has to be kept in step by hand."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.backends import BaseBackend

# The apps whose data staff manage in the Django admin say so on their AppConfig
# (``staff_managed = True``). Which *rows* staff see there is decided by the apps' selectors;
# these permissions only decide which actions the admin offers.


def _staff_managed_models() -> list[Any]:
    return [
        model
        for config in apps.get_app_configs()
        if getattr(config, "staff_managed", False)
        for model in config.get_models()
    ]


def _role_permissions(user: Any) -> frozenset[str]:
    if not (user.is_active and user.is_staff and getattr(user, "role", None) == "staff"):
        return frozenset()
    # Officers get no delete: Django's delete confirmation lists every related object, and
    # some of those could belong to a confidential partner.
    actions = ("view", "add", "change", "delete") if user.is_cleared else ("view", "add", "change")
    return frozenset(
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model in _staff_managed_models()
        for action in actions
    )


class RolePermissionBackend(BaseBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set(_role_permissions(user_obj))

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in _role_permissions(user_obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(perm.startswith(f"{app_label}.") for perm in _role_permissions(user_obj))
