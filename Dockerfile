# One image for every service; the command picks the service: python -m services.<name>
# Build: docker build -t interviewer .

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY shared ./shared
COPY services ./services
# wheels for the project and its pinned dependencies, built once
RUN pip wheel --wheel-dir /wheels -c constraints.txt .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BIND_HOST=0.0.0.0 DATA_DIR=/data
COPY --from=build /wheels /wheels
# the embedding model's token table as a file the scorer reads rows from, written once here rather than
# decompressed into every scoring process (shared/ai/offline/model_files.py, docs/ai-evaluation.md)
ENV EMBEDDINGS_CACHE_DIR=/opt/interviewer/cache
RUN pip install --no-index --find-links /wheels interviewer \
    && python -m shared.ai.offline.model_files \
    && rm -rf /wheels \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin interviewer \
    && mkdir -p /data && chown interviewer /data
USER 10001
WORKDIR /home/interviewer
EXPOSE 8000 8001 8002 8003 8004
CMD ["python", "-m", "services.gateway"]
