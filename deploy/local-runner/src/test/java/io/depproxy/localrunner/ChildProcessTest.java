package io.depproxy.localrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one launcher every test and the local runner start processes with: readiness from a probe, an early exit
 * reported at once with the process's own output, the chosen environment, SIGTERM on stop.
 */
class ChildProcessTest {
    @TempDir
    Path dir;

    @Test
    void isReadyOnceItsLogSaysSoAndStopsOnSigterm() {
        Path log = dir.resolve("ready.log");
        ChildProcess process = ChildProcess.command("greeter",
                        List.of("sh", "-c", "echo \"hello $WHO\"; exec sleep 60"))
                .environment(Map.of("WHO", "tests")).logTo(log).start()
                .awaitReady(ReadinessProbe.logContains(log, 0, "hello tests"), Duration.ofSeconds(30));

        assertThat(process.isAlive()).isTrue();
        assertThat(process.stop(Duration.ofSeconds(10))).as("killed by SIGTERM").isEqualTo(128 + 15);
    }

    @Test
    void aProcessThatExitsBeforeItIsReadyFailsTheWaitAtOnceWithItsOutput() {
        ChildProcess process = ChildProcess.command("crasher", List.of("sh", "-c", "echo 'no config file'; exit 3"))
                .logTo(dir.resolve("crash.log")).start();

        long started = System.nanoTime();
        assertThatThrownBy(() -> process.awaitReady(() -> false, Duration.ofMinutes(5)))
                .hasMessageContaining("crasher exited with code 3 before it was ready")
                .hasMessageContaining("no config file");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void startingSideBySideFailsAsSoonAsOneExitsWhileTheOtherIsStillStarting() {
        try (ChildProcess waiting = ChildProcess.command("waiting", List.of("sleep", "60"))
                .logTo(dir.resolve("waiting.log")).start()) {
            ChildProcess crashing = ChildProcess.command("crashing", List.of("sh", "-c", "exit 3"))
                    .logTo(dir.resolve("crashing.log")).start();

            long started = System.nanoTime();
            assertThatThrownBy(() -> ChildProcess.awaitAllReady(Map.of(waiting, () -> false, crashing, () -> false),
                    Duration.ofMinutes(5))).hasMessageContaining("crashing exited with code 3");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(1));
        }
    }

    @Test
    void aProcessThatNeverBecomesReadyFailsAfterTheTimeoutAndKeepsRunning() {
        try (ChildProcess process = ChildProcess.command("silent", List.of("sleep", "60"))
                .logTo(dir.resolve("silent.log")).start()) {
            assertThatThrownBy(() -> process.awaitReady(() -> false, Duration.ofMillis(500)))
                    .hasMessageContaining("silent not ready within");
            assertThat(process.isAlive()).isTrue();
        }
    }

    @Test
    void aClearedEnvironmentHoldsOnlyWhatTheCallerGave() {
        Path log = dir.resolve("env.log");
        ChildProcess process = ChildProcess.command("env", List.of("/usr/bin/env"))
                .clearEnvironment().environment(Map.of("DP_ONLY", "this")).logTo(log).start();
        process.onExit().join();

        assertThat(process.log().strip()).isEqualTo("DP_ONLY=this");
    }
}
