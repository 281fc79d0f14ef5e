package io.depproxy.accelerator.upload;

/** A step of storing a download failed; the message names the step, e.g. {@code send-dependency: upload finalize failed: status=409}. */
public final class UploadFailure extends RuntimeException {
    public UploadFailure(String message) {
        super(message, null, false, false);
    }

    public static UploadFailure status(String step, int status) {
        return new UploadFailure("send-dependency: " + step + " failed: status=" + status);
    }
}
