# syntax=docker/dockerfile:1

# One image for the web server, the Celery worker and beat; docker-compose.yml picks the command.
#
#   docker build -t solidarity-portal .
#   docker run -e SECRET_KEY=... -e DATABASE_URL=... -e REDIS_URL=... -p 8000:8000 solidarity-portal

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: dependencies, compiled translations, collected static files --------------------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings

# msgfmt is needed only to compile translations; keeping it in this stage keeps it out of the
# image that runs.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# The virtualenv lives outside the project so that COPY . below cannot shadow it, and so that
# compilemessages, which walks the working directory, does not recompile every package's catalogs.
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# Copied on its own so that code changes reuse the cached dependency layer. --require-hashes
# makes a tampered or substituted wheel fail the build. The lock also pins the dev tools (pytest,
# mypy, ruff, playwright's Python package): one lock keeps one set of hashes to review, at the
# cost of a larger image.
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-cache-dir --require-hashes -r /tmp/requirements.lock

WORKDIR /app
COPY . .

# Settings refuse to load with DEBUG off and the development key, so the build gets a throwaway
# one. DEBUG=false selects the compressed, hashed-name storage that production serves from.
# compilemessages refuses to run when no locale directory exists at all (git keeps no empty dir).
RUN export SECRET_KEY=build-only DEBUG=false \
    && if [ -d locale ]; then python manage.py compilemessages; fi \
    && python manage.py collectstatic --noinput

# --- runtime -------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings

RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --create-home --shell /usr/sbin/nologin portal

COPY --from=build /opt/venv /opt/venv
# Code and static files stay owned by root: a compromised process cannot rewrite what it runs.
COPY --from=build /app /app

# Uploads are the only thing the app writes. Creating the directory here, owned by the app user,
# means a named volume mounted on it starts with that ownership too.
RUN mkdir -p /app/var/media && chown -R portal:portal /app/var

WORKDIR /app
# Numeric, so that orchestrators enforcing runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001

EXPOSE 8000

# Production settings redirect plain HTTP to HTTPS unless SECURE_SSL_REDIRECT=false; the probe
# says it came through the TLS proxy (SECURE_PROXY_SSL_HEADER) so it gets the answer, not a
# redirect, whichever way the container is configured. 127.0.0.1 must be in ALLOWED_HOSTS.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request as r; r.urlopen(r.Request('http://127.0.0.1:8000/healthz/', headers={'X-Forwarded-Proto': 'https'}), timeout=5)"]

# gthread: a streamed download of many rows outlasts the 30 s timeout, which a sync worker
# serving it cannot signal through; a threaded worker keeps telling the arbiter it is alive.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4", "--timeout", "30", "--access-logfile", "-"]
