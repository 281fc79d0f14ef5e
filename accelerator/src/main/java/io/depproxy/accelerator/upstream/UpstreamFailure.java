package io.depproxy.accelerator.upstream;

import io.depproxy.contracts.outbound.OutboundRefused;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * How a failed outbound call shows to the client: 504 for a timeout, 502 for anything else; a destination the
 * outbound policy refused says so, without the host or address (the log line has them).
 */
public final class UpstreamFailure {
    private UpstreamFailure() {
    }

    public static int statusFor(Throwable failure) {
        return isTimeout(failure) ? 504 : 502;
    }

    /** The registry error message for the client: never the cause's text. */
    public static String messageFor(Throwable failure) {
        if (failure instanceof OutboundRefused) {
            return OutboundRefused.CLIENT_MESSAGE;
        }
        return isTimeout(failure) ? "the upstream registry timed out" : "the upstream registry could not be reached";
    }

    public static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException
                    || t instanceof ConnectTimeoutException) {
                return true;
            }
            if (t instanceof ConnectException) {
                return false;
            }
        }
        return false;
    }
}
