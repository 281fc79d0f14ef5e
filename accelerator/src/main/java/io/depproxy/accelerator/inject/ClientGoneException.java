package io.depproxy.accelerator.inject;

/** The client closed its connection before its response ended. */
final class ClientGoneException extends RuntimeException {
    ClientGoneException() {
        super("client closed the connection", null, false, false);
    }
}
