package io.depproxy.accelerator.inject;

import java.util.concurrent.TimeoutException;

/** The upstream sent no body bytes for the stall timeout: the download is given up (a timeout, so 504 for waiters). */
final class UpstreamStalled extends TimeoutException {
    UpstreamStalled(String message) {
        super(message);
    }
}
