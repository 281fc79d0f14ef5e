package io.depproxy.accelerator.stream;

/**
 * A body is longer than its cap: announced so (refused before a byte is read) or found so while it streamed (cut off
 * there). Nothing of it may be stored or completed at a client.
 */
public final class CapExceeded extends RuntimeException {
    private CapExceeded(String message) {
        super(message, null, false, false);
    }

    public static CapExceeded announced(long length, long cap) {
        return new CapExceeded("announced " + length + " bytes; the cap is " + cap);
    }

    public static CapExceeded streamed(long received, long cap) {
        return new CapExceeded("sent more than " + cap + " bytes (the cap), stopped at " + received);
    }
}
