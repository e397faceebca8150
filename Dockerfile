# The portal's image: web (gunicorn), worker and beat all run from it (docker-compose.yml).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=nsp_portal.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends gettext curl postgresql-client && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs settings but no real secret or database.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput && python manage.py compilemessages --ignore=.venv
RUN useradd --system --uid 1000 portal && mkdir -p /app/media /app/backups && chown portal /app/media /app/backups
USER portal
EXPOSE 8000
CMD ["gunicorn", "nsp_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
