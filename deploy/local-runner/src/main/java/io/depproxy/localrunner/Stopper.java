package io.depproxy.localrunner;

/** How a fixture releases what it started. */
@FunctionalInterface
interface Stopper {
    void stop() throws Exception;
}
