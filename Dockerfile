# SynQuE Monitor image: `docker build -t synque-monitor .`
# The entrypoint is the `synque` CLI: `docker run synque-monitor run --config /etc/synque/monitor.properties`.
# Ports: 9404 Prometheus /metrics and /health (synque.metrics.port), 8080 interactive queries
# (application.server). State (RocksDB) lives under /var/lib/synque: mount a volume there.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY schemas schemas
COPY src/main src/main
RUN mvn -B -q -DskipTests -Dspotless.check.skip=true -Denforcer.skip=false package \
 && mkdir -p /app && cp target/synque-monitor.jar /app/ && cp -r target/lib /app/lib

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/synque --create-home synque \
 && printf '#!/bin/sh\n# DJL stays offline: the models ship in the jars.\nexec java --add-modules jdk.incubator.vector $SYNQUE_JAVA_OPTS -Dai.djl.offline=true -jar /app/synque-monitor.jar "$@"\n' \
    > /usr/local/bin/synque && chmod 0755 /usr/local/bin/synque
COPY --from=build /app /app
USER 10001
WORKDIR /var/lib/synque
VOLUME /var/lib/synque
EXPOSE 9404 8080
ENV SYNQUE_JAVA_OPTS="-XX:MaxRAMPercentage=75"
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=4 \
  CMD curl -fsS http://localhost:9404/health || exit 1
ENTRYPOINT ["synque"]
CMD ["run", "--config", "/etc/synque/monitor.properties"]
