package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.upload.InternalRequests;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * A send-url whose object answered 404 before any byte went to the client: the control plane's record outlived its
 * object (a purge, a TTL run, a moved tag's cleanup, an operator's bucket clean-up). It is told so at the send-url's
 * {@code MissingUrl} (it checks storage itself and drops the record), then asked once more for the client's request,
 * which it now answers with a miss or another record ({@link ReportThenAskAgain}: a second gone object in the same
 * client request is 503, and the next attempt finds the record dropped).
 */
public final class MissingObjects {
    private final ReportThenAskAgain reporter;

    public MissingObjects(InternalRequests requests, Duration timeout) {
        this.reporter = new ReportThenAskAgain(requests, timeout);
    }

    /** Whether this send-url's 404 is reported and healed (else it stays the registry's 404). */
    static boolean heals(SendUrl sendUrl) {
        return sendUrl.missingUrl() != null;
    }

    /** The object is gone; completes once the client's answer was handed on (asked again) or given (503). */
    Future<Void> gone(Exchange exchange, SendUrl sendUrl) {
        return reporter.gone(exchange, sendUrl.missingUrl(), "send-url: the stored object is gone",
                "a stored object is missing; try again");
    }
}
