# syntax=docker/dockerfile:1
# SynQuE Monitor image: `docker build -t synque-monitor .` (BuildKit, the default since Docker 23).
# One image, several roles, chosen by the command: `run --config ...` (the monitor), `lens-worker
# --config ...`, `generate ...`, `topics create ...`, `reset ...`. There is no HEALTHCHECK: each role
# has its own port or none, so the orchestrator probes per role (docker-compose.yml: the monitor's
# /ready on 9404, the LENS worker's /health on 9405; Kubernetes: k8s/).
# The production artifact: built with -Pproduction, so without the demo's in-process broker and
# Kafka's test kit (`synque demo` says so; use docker compose), and with bin/slim-lib removing the
# native libraries of other platforms from the jars. Sizes: docs/deployment.md.
# State (RocksDB) lives under /var/lib/synque: mount a volume there.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependency layer: only the pom, so that a change of the sources reuses the downloaded
# dependencies and plugins; the cache mount keeps them across pom changes too.
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Pproduction dependency:go-offline
COPY schemas schemas
COPY src/main src/main
COPY bin/slim-lib bin/slim-lib
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Pproduction -DskipTests -Dspotless.check.skip=true package \
 && mkdir -p /app && cp target/synque-monitor.jar /app/ && cp -r target/lib /app/lib \
 && apt-get update -qq && apt-get install -y -qq --no-install-recommends zip >/dev/null \
 && bin/slim-lib /app/lib

FROM eclipse-temurin:17-jre
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="SynQuE Monitor" \
      org.opencontainers.image.description="Ranks live synthetic-data generators against unlabelled real data (Kafka Streams)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17-jre"
# curl: for the compose healthchecks of the monitor and the LENS worker.
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/synque --create-home synque \
 && printf '#!/bin/sh\n# DJL stays offline: the models ship in the jars.\nexec java --add-modules jdk.incubator.vector $SYNQUE_JAVA_OPTS -Dai.djl.offline=true -jar /app/synque-monitor.jar "$@"\n' \
    > /usr/local/bin/synque && chmod 0755 /usr/local/bin/synque
# Dependencies first (large, rarely changed), then the application jar (small, changed often).
COPY --from=build /app/lib /app/lib
COPY --from=build /app/synque-monitor.jar /app/synque-monitor.jar
USER 10001
WORKDIR /var/lib/synque
VOLUME /var/lib/synque
EXPOSE 9404 8080 9405
# Heap 50% of the container's memory: the rest is RocksDB's bounded cache, ONNX Runtime and the
# JVM's own memory (docs/deployment.md has the arithmetic).
ENV SYNQUE_JAVA_OPTS="-XX:MaxRAMPercentage=50"
HEALTHCHECK NONE
ENTRYPOINT ["synque"]
CMD ["run", "--config", "/etc/synque/monitor.properties"]
