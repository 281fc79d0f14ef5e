package io.depproxy.localrunner;

import java.util.logging.LogManager;

/**
 * The runner's JUL manager: the JDK resets (silences) logging in a shutdown hook of its own, racing the runner's
 * hook, so "stopping ..." lines would be lost on Ctrl-C. Once the runner is up, resets are ignored.
 */
public final class RunnerLogManager extends LogManager {

    private static volatile boolean frozen;

    /** Named by the {@code java.util.logging.manager} system property that {@link LocalRunner#main} sets. */
    public RunnerLogManager() {
        super();
    }

    /** From now on the configuration stays as it is, through JVM shutdown. */
    static void freeze() {
        frozen = true;
    }

    @Override
    public void reset() {
        if (!frozen) {
            super.reset();
        }
    }
}
