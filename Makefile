# The two commands a newcomer needs: `make run` and `make test`.
MVN := ./mvnw -B -ntp

.PHONY: build run test test-deps bench soak images clean

## build: compile both services, the local runner and the container-image inputs (no tests)
build:
	$(MVN) -DskipTests install

## run: the embedded default — real PostgreSQL and S3-compatible server, both services, printed admin token
run: build
	java -jar deploy/local-runner/target/local-runner.jar

## test: installs the test tools (docker-registry, skopeo, podman) when missing, then runs every test
test: test-deps
	$(MVN) verify

test-deps:
	deploy/scripts/install-test-deps.sh

clean:
	$(MVN) clean

## bench: the side-by-side benchmark of docs/operations.md (writes deploy/bench/RESULTS.md); BENCH_ARGS=--quick to try it
bench: build
	deploy/scripts/install-test-deps.sh --bench
	deploy/bench/run.sh $(BENCH_ARGS)

## soak: 200 concurrent clients for 60 s, cold and warm: no errors, no corrupt bytes, one upstream GET per blob; SOAK_ARGS=--help
soak: build
	deploy/scripts/install-test-deps.sh
	python3 deploy/bench/soak.py $(SOAK_ARGS)

## images: both service images, built daemonless with podman on a JRE base made from Debian packages
images: build
	deploy/images/build.sh
