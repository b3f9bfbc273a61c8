"""The composition root: settings, the root URLconf, the WSGI and ASGI entry points and the Celery
application. The only package allowed to import every app (docs/architecture.md)."""

from config.celery import app as celery_app

__all__ = ["celery_app"]
