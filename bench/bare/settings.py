"""Settings of the bare view: the same database, production-like (no debug), nothing else."""

from __future__ import annotations

import os

import environ

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-bare-view-only")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.bare.urls"
INSTALLED_APPS = ["bench.bare"]
MIDDLEWARE: list[str] = []
DATABASES = {"default": environ.Env().db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = 60
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
    }
]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
