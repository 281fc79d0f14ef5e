package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.accelerator.upload.InternalRequests;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the accelerator does when the source the control plane pointed it at is gone before any byte went to the
 * client (a stored object that answered 404, a peer that died or no longer has the download): it tells the control
 * plane at the URL the injection gave for that (best effort: the control plane checks for itself and fixes its
 * records), then asks it once more for the client's request. A second gone source in the same client request is not
 * asked about again: the client gets 503 {@code UNAVAILABLE}, which registry clients retry, where a 404 would tell
 * them the image does not exist.
 */
final class ReportThenAskAgain {
    private static final Logger LOG = LoggerFactory.getLogger(ReportThenAskAgain.class);

    private final InternalRequests requests;
    private final Duration timeout;

    ReportThenAskAgain(InternalRequests requests, Duration timeout) {
        this.requests = requests;
        this.timeout = timeout;
    }

    /**
     * {@code reportUrl}: where the control plane hears of it (none: only ask again). {@code what}: the injection and
     * what is gone, for the log. Completes once the client's request was handed on (asked again) or answered (503).
     */
    Future<Void> gone(Exchange exchange, String reportUrl, String what, String unavailableMessage) {
        Optional<Runnable> askAgain = exchange.takeAskAgain();
        LOG.atInfo().addKeyValue("request_id", exchange.requestId()).addKeyValue("route", exchange.route())
                .log("{}; {}", what, askAgain.isPresent() ? "reporting it and asking the control plane again"
                        : "reporting it (already asked again)");
        Future<Void> reported = reportUrl == null ? Future.succeededFuture() : report(exchange, reportUrl, what);
        return reported.andThen(done -> {
            if (exchange.response().closed()) {
                return;
            }
            if (askAgain.isPresent()) {
                askAgain.get().run();
            } else {
                FailureResponder.respond(exchange, 503, RegistryErrorCode.UNAVAILABLE, unavailableMessage, null);
            }
        });
    }

    /** Best effort: completes (never fails) once the control plane answered or could not be reached. */
    private Future<Void> report(Exchange exchange, String reportUrl, String what) {
        return requests.build(HttpMethod.POST, reportUrl, exchange.requestId(), timeout)
                .putHeader(HttpHeaders.CONTENT_LENGTH.toString(), "0")
                .as(BodyCodec.none())
                .send()
                .onSuccess(response -> {
                    if (response.statusCode() / 100 != 2) {
                        LOG.atWarn().addKeyValue("request_id", exchange.requestId())
                                .log("the report that {} answered {}", what, response.statusCode());
                    }
                })
                .onFailure(err -> LOG.atWarn().addKeyValue("request_id", exchange.requestId())
                        .log("the report that {} failed: {}", what, err.getMessage()))
                .<Void>mapEmpty()
                .otherwiseEmpty();
    }
}
