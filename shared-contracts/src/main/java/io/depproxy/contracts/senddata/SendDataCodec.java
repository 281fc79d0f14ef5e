package io.depproxy.contracts.senddata;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.depproxy.contracts.ContractJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Encodes and decodes {@code Gitlab-Workhorse-Send-Data}: {@code <prefix>:<base64url with padding of JSON>}.
 * The prefix table lives only here.
 */
public final class SendDataCodec {
    public static final String SEND_URL = "send-url";
    public static final String SEND_DEPENDENCY = "send-dependency";
    public static final String SEND_PEER = "send-peer";

    private SendDataCodec() {
    }

    public static String encode(Injection injection) {
        String json = ContractJson.write(injection);
        return prefixOf(injection) + ":" + Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    public static Injection decode(String headerValue) {
        if (headerValue == null) {
            throw new MalformedInjectionException("send-data header is missing");
        }
        int colon = headerValue.indexOf(':');
        if (colon < 0) {
            throw new MalformedInjectionException("send-data header has no prefix");
        }
        String prefix = headerValue.substring(0, colon);
        String json = decodePayload(headerValue.substring(colon + 1).trim());
        try {
            return switch (prefix) {
                case SEND_URL -> ContractJson.read(json, SendUrl.class);
                case SEND_DEPENDENCY -> ContractJson.read(json, SendDependency.class);
                case SEND_PEER -> ContractJson.read(json, SendPeer.class);
                default -> throw new MalformedInjectionException("unknown send-data prefix: " + prefix);
            };
        } catch (JsonProcessingException e) {
            throw invalid(prefix, e);
        } catch (IllegalArgumentException e) {
            throw invalid(prefix, e);
        }
    }

    /** The injector name used in logs and metrics. */
    public static String prefixOf(Injection injection) {
        if (injection instanceof SendUrl) {
            return SEND_URL;
        }
        if (injection instanceof SendDependency) {
            return SEND_DEPENDENCY;
        }
        if (injection instanceof SendPeer) {
            return SEND_PEER;
        }
        throw new IllegalArgumentException("unknown injection " + injection.getClass().getName());
    }

    private static MalformedInjectionException invalid(String prefix, Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof MalformedInjectionException)) {
            cause = cause.getCause();
        }
        String reason = cause instanceof MalformedInjectionException ? cause.getMessage() : "invalid JSON";
        return new MalformedInjectionException(prefix + ": " + reason, e);
    }

    private static String decodePayload(String payload) {
        try {
            return new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedInjectionException("send-data payload is not base64url", e);
        }
    }
}
