package io.depproxy.contracts.senddata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.depproxy.contracts.Digests;

/**
 * send-dependency: fetch {@code Url} from the upstream with exactly {@code Headers}, stream it to the client
 * while storing it, then authorize and finalize at {@code UploadConfig}. Our extensions: {@code Digest} (the
 * bytes must hash to it before anything is recorded), {@code Coalesce} (concurrent fetches with the same
 * key, the same {@code Url} and the same {@code Digest} share one upstream download) and {@code MaximumSize} (the
 * most bytes the upstream may send: a longer announced length is refused before the body is read, a longer body is
 * cut off while it streams; absent, as from a control plane older than the key, means no cap).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"Url", "Headers", "ResponseHeaders", "UploadConfig", "Digest", "Coalesce", "MaximumSize"})
public record SendDependency(
        @JsonProperty("Url") String url,
        @JsonProperty("Headers") HeaderMap headers,
        @JsonProperty("ResponseHeaders") HeaderMap responseHeaders,
        @JsonProperty("UploadConfig") UploadTarget uploadConfig,
        @JsonProperty("Digest") String digest,
        @JsonProperty("Coalesce") String coalesce,
        @JsonProperty("MaximumSize") Long maximumSize) implements Injection {

    public SendDependency {
        UrlRules.requireAbsoluteHttp("send-dependency Url", url);
        if (uploadConfig == null) {
            throw new MalformedInjectionException("send-dependency UploadConfig is required");
        }
        if (digest != null && !Digests.isSha256(digest)) {
            throw new MalformedInjectionException("send-dependency Digest must be sha256:<64 hex>, was " + digest);
        }
        if (maximumSize != null && maximumSize < 0) {
            throw new MalformedInjectionException("send-dependency MaximumSize must be a byte count, was " + maximumSize);
        }
        headers = headers == null ? HeaderMap.empty() : headers;
        responseHeaders = responseHeaders == null ? HeaderMap.empty() : responseHeaders;
        coalesce = coalesce == null || coalesce.isBlank() ? null : coalesce;
    }

    /** Whether {@code bytes} is more than the upstream may send. */
    public boolean exceedsMaximumSize(long bytes) {
        return maximumSize != null && bytes > maximumSize;
    }
}
