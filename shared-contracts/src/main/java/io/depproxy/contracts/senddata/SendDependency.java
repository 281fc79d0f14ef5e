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
 * cut off while it streams; absent, as from a control plane older than the key, means no cap) and {@code UpstreamName}
 * (the name the administrator gave the upstream: the only label of the accelerator's per-upstream metrics; absent, as
 * from an older control plane, the accelerator counts the fetch under {@value #UNKNOWN_UPSTREAM}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"Url", "Headers", "ResponseHeaders", "UploadConfig", "Digest", "Coalesce", "MaximumSize",
    "UpstreamName"})
public record SendDependency(
        @JsonProperty("Url") String url,
        @JsonProperty("Headers") HeaderMap headers,
        @JsonProperty("ResponseHeaders") HeaderMap responseHeaders,
        @JsonProperty("UploadConfig") UploadTarget uploadConfig,
        @JsonProperty("Digest") String digest,
        @JsonProperty("Coalesce") String coalesce,
        @JsonProperty("MaximumSize") Long maximumSize,
        @JsonProperty("UpstreamName") String upstreamName) implements Injection {

    /** The metrics label of a fetch whose send-dependency names no upstream. */
    public static final String UNKNOWN_UPSTREAM = "unknown";
    /** Upstream names are short host-like names; a longer one is a broken control plane, not a label. */
    public static final int MAX_UPSTREAM_NAME_LENGTH = 255;

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
        upstreamName = upstreamName == null || upstreamName.isBlank() ? null : upstreamName;
        if (upstreamName != null && upstreamName.length() > MAX_UPSTREAM_NAME_LENGTH) {
            throw new MalformedInjectionException("send-dependency UpstreamName is longer than "
                    + MAX_UPSTREAM_NAME_LENGTH + " characters");
        }
    }

    /** A send-dependency without {@code UpstreamName} (as before it existed). */
    public SendDependency(String url, HeaderMap headers, HeaderMap responseHeaders, UploadTarget uploadConfig,
                          String digest, String coalesce, Long maximumSize) {
        this(url, headers, responseHeaders, uploadConfig, digest, coalesce, maximumSize, null);
    }

    /** The same send-dependency, naming the upstream it fetches from (its metrics label in the accelerator). */
    public SendDependency withUpstreamName(String upstreamName) {
        return new SendDependency(url, headers, responseHeaders, uploadConfig, digest, coalesce, maximumSize,
                upstreamName);
    }

    /** The upstream's name for metrics: {@code UpstreamName}, or {@value #UNKNOWN_UPSTREAM} when it was not sent. */
    public String upstreamLabel() {
        return upstreamName == null ? UNKNOWN_UPSTREAM : upstreamName;
    }

    /** Whether {@code bytes} is more than the upstream may send. */
    public boolean exceedsMaximumSize(long bytes) {
        return maximumSize != null && bytes > maximumSize;
    }
}
