package io.depproxy.accelerator.inject;

/** The client took none of the bytes that were there for it for the client stall timeout; it is dropped. */
final class ClientStalled extends RuntimeException {
    ClientStalled() {
        super("client stopped reading", null, false, false);
    }
}
