FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
ENV STATIC_ROOT=/app/var/static
RUN DJANGO_SETTINGS_MODULE=config.settings.local python manage.py collectstatic --noinput -v0 \
    && python -m portal.translations compile
RUN useradd --system lanzarote && mkdir -p var && chown lanzarote var
USER lanzarote
EXPOSE 8000
