package io.depproxy.e2e;

import java.time.Duration;

/** Retries an assertion about something that happens after the client is done (finalize runs detached). */
final class Eventually {
    interface Check {
        void run() throws Exception;
    }

    private Eventually() {
    }

    static void within(Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
