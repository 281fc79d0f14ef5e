# The control plane: Quarkus fast-jar on a JRE. Build from the repository root after `./mvnw -DskipTests package`:
#   docker build -f deploy/images/control-plane.Dockerfile -t dependency-proxy/control-plane:dev .
# BASE_IMAGE lets deploy/images/build.sh use a JRE base made from Debian packages where no registry is reachable.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

# Quarkus's own layering, least to most often changed: dependencies, launcher, application, generated code.
# Files stay owned by root and read-only to the service.
COPY control-plane/target/quarkus-app/lib/ /app/lib/
COPY control-plane/target/quarkus-app/*.jar /app/
COPY control-plane/target/quarkus-app/app/ /app/app/
COPY control-plane/target/quarkus-app/quarkus/ /app/quarkus/

# Serial GC and 70% of the memory limit as heap: small heaps, few cores. Override the whole variable to tune
# (k8s sets it explicitly).
ENV JAVA_OPTS="-XX:MaxRAMPercentage=70 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"

USER 10001:10001
WORKDIR /app
EXPOSE 8081
# No HEALTHCHECK: Kubernetes probes /-/health/ready and /-/health/live. The JBoss log manager must be set
# before the JVM's logging starts, so it is not part of JAVA_OPTS, which operators replace.
ENTRYPOINT ["/bin/sh", "-c", "exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager $JAVA_OPTS -jar /app/quarkus-run.jar"]
