package io.depproxy.accelerator.inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * What an upstream said when it answered an error: kept for the log (with the request id), never for the client,
 * whose body names only the kind of failure. Its text may carry internal URLs and host names, or be a page a browser
 * would render. The one thing taken from it is the error code, when it is one a registry client knows and it fits
 * the status (an upstream's {@code MANIFEST_UNKNOWN} on a 404 stays {@code MANIFEST_UNKNOWN}).
 */
final class UpstreamErrorText extends RuntimeException {
    /** Enough of a body to tell an operator what went wrong; the rest is not worth a log line. */
    static final int LOGGED_CHARS = 512;

    private final transient Optional<RegistryErrorCode> code;

    UpstreamErrorText(FetchHead.UpstreamError error) {
        super(excerpt(error.body()), null, false, false);
        this.code = error.jsonBody().flatMap(json -> knownCode(json, error.status()));
    }

    /** The upstream's own error code, when it is a registry code with the status the upstream answered. */
    Optional<RegistryErrorCode> code() {
        return code;
    }

    private static String excerpt(Optional<Buffer> body) {
        if (body.isEmpty() || body.get().length() == 0) {
            return "its body was empty or too long to keep";
        }
        String text = body.get().toString();
        text = text.length() > LOGGED_CHARS ? text.substring(0, LOGGED_CHARS) + "…" : text;
        return "its body: " + text.replaceAll("[\\p{Cntrl}&&[^\t]]", " ");
    }

    private static Optional<RegistryErrorCode> knownCode(Buffer json, int status) {
        try {
            JsonNode first = ContractJson.mapper().readTree(json.getBytes()).path("errors").path(0).path("code");
            return Arrays.stream(RegistryErrorCode.values())
                    .filter(known -> known.name().equals(first.asText()) && known.status() == status)
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
