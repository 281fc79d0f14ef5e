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
        String sendData = backend.getHeader(Headers.SEND_DATA);
        if (backend.statusCode() != 200 || sendData == null) {
            return false;
        }
        backend.resume();
        Injection injection;
        try {
            injection = SendDataCodec.decode(sendData);
        } catch (MalformedInjectionException e) {
            FailureResponder.respond(exchange, 502, RegistryErrorCode.UNAVAILABLE, "bad gateway", e);
            return true;
        }
        dispatcher.dispatch(exchange, injection);
        return true;
    }
}
