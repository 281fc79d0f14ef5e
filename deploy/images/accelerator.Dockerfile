# The accelerator: one shaded jar on a JRE. Build from the repository root after `./mvnw -DskipTests package`:
#   docker build -f deploy/images/accelerator.Dockerfile -t dependency-proxy/accelerator:dev .
# BASE_IMAGE lets deploy/images/build.sh use a JRE base made from Debian packages where no registry is reachable.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

# Only a numeric user: nothing needs a passwd entry, and k8s runAsNonRoot can verify a number, not a name.
# The jar stays owned by root and read-only to the service.
COPY accelerator/target/accelerator.jar /app/accelerator.jar
# The hot tier's default home in compose (a named volume mounted here inherits this owner).
RUN mkdir -p /var/cache/dependency-proxy && chown 10001:10001 /var/cache/dependency-proxy

# Fixed, small bounds: the heap only holds what is in flight, and socket and spool buffers are direct and
# capped, so 64 concurrent 256 MiB streams stay under 300 MB resident (deploy/bench). The same flags as
# `make run` and k8s. Serial GC: small heaps, few cores, no pause-time goal worth the footprint of G1.
# Override the whole variable to tune.
ENV JAVA_OPTS="-XX:+UseSerialGC -Xms96m -Xmx128m -Xmn64m -XX:MaxDirectMemorySize=128m -XX:+ExitOnOutOfMemoryError"

USER 10001:10001
WORKDIR /app
EXPOSE 8080
# No HEALTHCHECK: Kubernetes probes /-/health/ready and /-/health/live. `exec` makes the JVM PID 1, so it
# gets SIGTERM directly and shuts down gracefully.
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS -jar /app/accelerator.jar"]
