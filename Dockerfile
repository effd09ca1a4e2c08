# One image for every service; the command picks the service (python -m services.<name>).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY shared ./shared
COPY services ./services
RUN pip install -c constraints.txt . && useradd --create-home --uid 10001 interviewer && mkdir /data && chown interviewer /data
USER interviewer
ENV BIND_HOST=0.0.0.0 DATA_DIR=/data
