# Production image of the SRM: gunicorn serves Django; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 srm
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install ".[s3]"
COPY --chown=srm:srm . .
RUN DEBUG=0 SECRET_KEY=solo-para-collectstatic python manage.py collectstatic --noinput \
    && mkdir -p /var/lib/srm/media && chown srm:srm /var/lib/srm/media
USER srm
EXPOSE 8000
CMD ["gunicorn", "srm.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
