# pixorga — production image: gunicorn + whitenoise (web) or a Celery worker (same image, other command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system pixorga && useradd --system --gid pixorga --home-dir /app --shell /usr/sbin/nologin pixorga

WORKDIR /app
COPY requirements.txt .
# psycopg2-binary and lxml ship manylinux wheels: no compiler needed.
RUN pip install -r requirements.txt

COPY --chown=pixorga:pixorga . .
# Static files are collected (hashed names, compressed) at build time; the key is a throwaway used only here.
RUN DEBUG=false SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown pixorga:pixorga /app/media

USER pixorga
ENV DEBUG=false \
    MEDIA_ROOT=/app/media \
    GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000 --workers 3 --threads 2 --timeout 60 --graceful-timeout 30 --max-requests 2000 --max-requests-jitter 200 --access-logfile - --forwarded-allow-ips *"
EXPOSE 8000

# Django checks the Host header even on /healthz (exempt from the HTTPS redirect only): send the first allowed host.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h if h and h != '*' else 'localhost'}), timeout=4)"

CMD ["gunicorn", "pixorga.wsgi"]
