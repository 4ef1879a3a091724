# The production image: the web process, the Celery workers and beat all run from it, started by
# the deploy/ scripts (docker-compose.yml; CI's smoke test runs the same scripts without Docker).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint's Pango, and HarfBuzz's subsetter: without it a document takes 2.25× as long.
# PostgreSQL's client tools (15, the server's version) for the backups: pg_dump and pg_restore.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# Static files are collected into the image and served by WhiteNoise; the translations compiled.
# (collectstatic needs no database and no secret: the embedded settings will do.)
ENV STATIC_ROOT=/app/var/static MEDIA_ROOT=/app/var/media
RUN DJANGO_SETTINGS_MODULE=config.settings.local python manage.py collectstatic --noinput -v0 \
    && python -m portal.translations compile
# An unprivileged user, owner of nothing but the documents (MEDIA_ROOT, a volume), the backup
# sets (BACKUP_ROOT, a volume), beat's schedule and a cache (fontconfig's): the code and the
# static files are read-only to it.
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin lanzarote \
    && mkdir -p var/media var/backups var/beat var/cache \
    && chown lanzarote var/media var/backups var/beat var/cache
USER lanzarote
ENV DJANGO_SETTINGS_MODULE=config.settings.production XDG_CACHE_HOME=/app/var/cache
EXPOSE 8000
CMD ["deploy/web"]
