# syntax=docker/dockerfile:1

# --- the PWA and the console -------------------------------------------------
FROM node:20-bookworm-slim AS frontend
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# --- the Python package --------------------------------------------------------
FROM python:3.11-slim-bookworm AS wheel
WORKDIR /build
COPY pyproject.toml README.md ./
COPY backend/ backend/
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# --- the runtime image -----------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RENCONTRE_DATA_DIR=/var/lib/rencontre
# The data volume holds every note and password hash: owner-only, as the app keeps it
# (it also tightens the directory to 0700 and its files to 0600 at each start).
RUN useradd --system --create-home --home-dir /app --uid 10001 rencontre \
    && mkdir -p /var/lib/rencontre \
    && chown rencontre /var/lib/rencontre \
    && chmod 0700 /var/lib/rencontre
WORKDIR /app
COPY --from=wheel /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY alembic.ini ./
COPY migrations/ migrations/
COPY --from=frontend /build/frontend/dist frontend/dist
USER 10001
EXPOSE 8000
VOLUME ["/var/lib/rencontre"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4).status != 200)"]
# `serve` runs the migrations first, then uvicorn. Behind a proxy in another container, set
# RENCONTRE_FORWARDED_ALLOW_IPS to the proxy's address (default 127.0.0.1), or every client
# counts as the proxy in the rate limits. The same image runs the dashboards' feed-only
# process (PostgreSQL only; it never migrates, and listens on the same port and health check):
#   docker run … rencontre serve --feed-only --host 0.0.0.0 --port 8000
CMD ["rencontre", "serve", "--host", "0.0.0.0", "--port", "8000"]
