package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.accelerator.upload.InternalRequests;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A send-url whose object answered 404 before any byte went to the client: the control plane's record outlived its
 * object (a purge, a TTL run, a moved tag's cleanup, an operator's bucket clean-up). It is told so at the send-url's
 * {@code MissingUrl} (it checks storage itself and drops the record), then asked once more for the client's request,
 * which it now answers with a miss or another record. A second gone object in the same client request is not asked
 * about again: the client gets 503 {@code UNAVAILABLE}, which registry clients retry (the next attempt finds the
 * record dropped), where a 404 would tell them the image does not exist.
 */
public final class MissingObjects {
    private static final Logger LOG = LoggerFactory.getLogger(MissingObjects.class);

    private final InternalRequests requests;
    private final Duration timeout;

    public MissingObjects(InternalRequests requests, Duration timeout) {
        this.requests = requests;
        this.timeout = timeout;
    }

    /** Whether this send-url's 404 is reported and healed (else it stays the registry's 404). */
    static boolean heals(SendUrl sendUrl) {
        return sendUrl.missingUrl() != null;
    }

    /** The object is gone; completes once the client's answer was handed on (asked again) or given (503). */
    Future<Void> gone(Exchange exchange, SendUrl sendUrl) {
        Optional<Runnable> askAgain = exchange.takeAskAgain();
        LOG.atInfo().addKeyValue("request_id", exchange.requestId()).addKeyValue("route", exchange.route())
                .log("send-url: the stored object is gone; reporting it{}",
                        askAgain.isPresent() ? " and asking the control plane again" : " (already asked again)");
        return report(exchange, sendUrl.missingUrl()).andThen(reported -> {
            if (exchange.response().closed()) {
                return;
            }
            if (askAgain.isPresent()) {
                askAgain.get().run();
            } else {
                FailureResponder.respond(exchange, 503, RegistryErrorCode.UNAVAILABLE,
                        "a stored object is missing; try again", null);
            }
        });
    }

    /** Best effort: completes (never fails) once the control plane answered or could not be reached. */
    private Future<Void> report(Exchange exchange, String missingUrl) {
        return requests.build(HttpMethod.POST, missingUrl, exchange.requestId(), timeout)
                .putHeader(HttpHeaders.CONTENT_LENGTH.toString(), "0")
                .as(BodyCodec.none())
                .send()
                .onSuccess(response -> {
                    if (response.statusCode() != 204) {
                        LOG.atWarn().addKeyValue("request_id", exchange.requestId())
                                .log("send-url: the missing-object report answered {}", response.statusCode());
                    }
                })
                .onFailure(err -> LOG.atWarn().addKeyValue("request_id", exchange.requestId())
                        .log("send-url: the missing-object report failed: {}", err.getMessage()))
                .<Void>mapEmpty()
                .otherwiseEmpty();
    }
}
