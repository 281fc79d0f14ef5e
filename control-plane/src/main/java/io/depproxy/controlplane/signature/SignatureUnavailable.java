package io.depproxy.controlplane.signature;

/** An image's signature could not be looked up: its upstream could not be asked and no copy is cached. */
public class SignatureUnavailable extends RuntimeException {
    public SignatureUnavailable(String message) {
        super(message);
    }
}
