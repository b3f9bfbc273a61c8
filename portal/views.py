from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.models import User

logger = logging.getLogger(__name__)


@login_not_required
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; for a logged-in person the choice is also saved on them, so
    that it follows them to other devices and into the e-mails the portal sends them."""
    response = i18n.set_language(request)
    code = request.POST.get("language", "")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and code in {language for language, _name in settings.LANGUAGES}
    ):
        User.objects.filter(pk=user.pk).update(language=code)
    return response


def _broker_status() -> str:
    if not settings.REDIS_URL:
        return "eager"
    from celery import current_app as app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # any broker failure is reported, never raised: this is a health check
        logger.warning("healthz.broker_unreachable")
        return "unreachable"
    return "ok"


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers; the broker's state is reported, not required."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # the point of the endpoint is to report this, not to fail with it
        logger.exception("healthz.database_unreachable")
        database = "unreachable"
    body = {"database": database, "broker": _broker_status()}
    return JsonResponse(body, status=200 if database == "ok" else 503)
