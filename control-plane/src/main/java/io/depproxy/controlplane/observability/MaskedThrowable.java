package io.depproxy.controlplane.observability;

import io.depproxy.contracts.observability.SecretMask;
import java.util.Objects;

/**
 * Stands in for a logged exception whose message (or a cause's) holds a secret: same stack trace, the original
 * class name at the head of the masked message. An exception with nothing to mask is logged as it is.
 */
final class MaskedThrowable extends RuntimeException {
    private static final int MAX_CAUSES = 16;

    private MaskedThrowable(String message, Throwable cause, StackTraceElement[] stackTrace) {
        super(message, cause, false, true);
        setStackTrace(stackTrace);
    }

    static Throwable of(Throwable thrown) {
        return needsMasking(thrown, 0) ? masked(thrown, 0) : thrown;
    }

    private static boolean needsMasking(Throwable thrown, int depth) {
        if (thrown == null || depth > MAX_CAUSES) {
            return false;
        }
        String message = thrown.getMessage();
        return !Objects.equals(message, SecretMask.mask(message)) || needsMasking(thrown.getCause(), depth + 1);
    }

    private static Throwable masked(Throwable thrown, int depth) {
        if (thrown == null || depth > MAX_CAUSES) {
            return null;
        }
        String message = thrown.getClass().getName() + ": " + SecretMask.mask(String.valueOf(thrown.getMessage()));
        return new MaskedThrowable(message, masked(thrown.getCause(), depth + 1), thrown.getStackTrace());
    }
}
