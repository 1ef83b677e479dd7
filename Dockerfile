# serendip's container image: the web server (`serendip serve`), the worker (`serendip worker`)
# and the periodic jobs (`serendip periodic`) all run from it; see compose.yaml and
# docs/deploy.md. Built from this repository's files only: the locked, hash-checked
# dependencies, then the project itself. Nothing is downloaded when a container starts.

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /build
RUN python -m venv /opt/serendip
COPY requirements.lock ./
RUN /opt/serendip/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY src ./src
RUN /opt/serendip/bin/pip install --no-deps .

FROM python:3.11-slim-bookworm
# pg_dump/pg_restore for `serendip backup` and `serendip restore` (Debian 12's PostgreSQL 15,
# the same major version as the database service in compose.yaml).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /var/lib/serendip --create-home serendip
COPY --from=build /opt/serendip /opt/serendip
ENV PATH=/opt/serendip/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    SERENDIP_DATA_DIR=/var/lib/serendip \
    SERENDIP_STATIC_ROOT=/opt/serendip/static \
    SERENDIP_BIND=0.0.0.0:8000
# Static files are collected and compressed once, into the image (a throwaway key: nothing
# is signed here).
RUN SERENDIP_SECRET_KEY=collectstatic-only serendip serve --collect-only
USER serendip
WORKDIR /var/lib/serendip
VOLUME /var/lib/serendip
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["serendip", "serve", "--migrate"]
