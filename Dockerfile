# lagebild serve in a container: the store and the feed list live in the volume /data.
#   docker build -t lagebild .
#   docker run -p 127.0.0.1:8000:8000 -v lagebild-data:/data -e LAGEBILD_TOKEN=... lagebild
# (binds 0.0.0.0 inside the container, which lagebild allows only with a token)
FROM python:3.12-slim
RUN useradd --system --create-home --home-dir /data lagebild
WORKDIR /src
COPY pyproject.toml README.md LICENSE NOTICE ./
COPY src ./src
RUN pip install --no-cache-dir . && rm -rf /src
USER lagebild
WORKDIR /data
VOLUME /data
EXPOSE 8000
STOPSIGNAL SIGINT
CMD ["sh", "-c", "exec lagebild serve --db /data/store.db --host 0.0.0.0 --port 8000 ${LAGEBILD_FEEDS:+--watch $LAGEBILD_FEEDS}"]
