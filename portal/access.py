"""The role core that every app's selectors share (DESIGN §4).

Each domain app decides who may see what of its own models in its ``selectors.py``
(``visible_<things>(user)`` for lists, counts and choices; ``get_<thing>_for_user(user, pk)`` for
one object, which answers 404 outside the viewer's scope: a 403 would confirm that the object
exists). What they share is here: the viewer as an active user or nobody, the viewer's own
organisation, the 404 getter, and the access log written each time cleared staff open a
confidential record. ``docs/access.md`` names, per model, the selector that decides.

The rules, in one place for reading:

- administrators and cleared staff see everything; each time they open a confidential record a
  row is written to the access log;
- programme officers (staff, not cleared) see everything except confidential partners and what
  hangs off them: their contacts, projects, activities and stories;
- a partner user sees its own organisation (confidential or not) and what belongs to it;
- a network member sees the public side of its networks: the networks, their non-confidential
  partners and programmes, and verified stories whose storytellers agreed to be quoted;
- anyone else sees nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from portal.models import AccessLog, User

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

    AnyUser = User | AnonymousUser | AbstractBaseUser

M = TypeVar("M", bound=Model)
P = ParamSpec("P")


def as_user(user: AnyUser) -> User | None:
    if isinstance(user, User) and user.is_active:
        return user
    return None


def own_partner_id(viewer: User) -> int:
    # Only called once ``is_partner_user`` has checked that the id is set.
    return cast(int, viewer.partner_id)


def own_member_organisation_id(viewer: User) -> int:
    # Only called once ``is_network_member`` has checked that the id is set.
    return cast(int, viewer.member_organisation_id)


def get_or_404(queryset: QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as error:
        # A malformed id is as unknown as a foreign one.
        raise Http404 from error


def log_confidential_read(
    user: AnyUser, obj: Model, *, request: HttpRequest | None = None, action: str = "view"
) -> None:
    """Record that a cleared viewer opened a confidential record."""
    viewer = as_user(user)
    if viewer is None:
        return
    AccessLog.objects.create(
        user=viewer,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        action=action,
        path=(request.get_full_path()[:255] if request is not None else ""),
    )


def may_download(user: AnyUser) -> bool:
    """CSV and XLSX downloads: staff (officers pseudonymised) and partners' own users only."""
    viewer = as_user(user)
    return viewer is not None and (viewer.is_portal_staff or viewer.is_partner_user)


def denied_as_not_found(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """A service that refuses the viewer (``PermissionDenied``) answers 404, like a getter: a
    403 would confirm that the object exists."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except PermissionDenied as error:
            raise Http404 from error

    return wrapper
