package io.depproxy.accelerator.inject;

/** The downloaded bytes are not what was promised (length or digest): nothing may be stored or completed. */
final class VerificationFailure extends RuntimeException {
    VerificationFailure(String message) {
        super(message, null, false, false);
    }
}
