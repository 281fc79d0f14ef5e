package io.depproxy.accelerator.proxy;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.accelerator.inject.InjectionDispatcher;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.senddata.Injection;
import io.depproxy.contracts.senddata.MalformedInjectionException;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.vertx.core.http.HttpClientResponse;
import java.util.Optional;

/**
 * Sits between the control plane's answer and the client, like Workhorse's sendDataResponseWriter: a 200 carrying
 * {@code Gitlab-Workhorse-Send-Data} is replaced by what the injection says; anything else is left to the relay.
 */
public final class SendDataInterceptor {
    private final InjectionDispatcher dispatcher;

    public SendDataInterceptor(InjectionDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** True when it took over the client's response; the backend answer's (empty) body is then dropped. */
    public boolean intercept(Exchange exchange, HttpClientResponse backend) {
        Optional<Injection> injection;
        try {
            injection = injectionOf(backend);
        } catch (MalformedInjectionException e) {
            backend.resume();
            FailureResponder.respond(exchange, 502, RegistryErrorCode.UNAVAILABLE, "bad gateway", e);
            return true;
        }
        if (injection.isEmpty()) {
            return false;
        }
        backend.resume();
        dispatcher.dispatch(exchange, injection.get());
        return true;
    }

    /**
     * A client's blob GET the control plane answered already, ahead of it, for its read-ahead (same credentials,
     * path and query): taken over when that download is still here to join, without asking again; false otherwise.
     */
    public boolean interceptDecidedAhead(Exchange exchange, String pathAndQuery) {
        return dispatcher.dispatchOnReadAheadDecision(exchange, pathAndQuery);
    }

    /**
     * The injection a control-plane answer carries: only a 200 with {@code Gitlab-Workhorse-Send-Data} has one (for
     * the client's own request and for those made on its behalf).
     */
    public static Optional<Injection> injectionOf(HttpClientResponse answer) throws MalformedInjectionException {
        String sendData = answer.getHeader(Headers.SEND_DATA);
        if (answer.statusCode() != 200 || sendData == null) {
            return Optional.empty();
        }
        return Optional.of(SendDataCodec.decode(sendData));
    }
}
