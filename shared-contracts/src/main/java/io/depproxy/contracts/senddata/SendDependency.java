package io.depproxy.contracts.senddata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.depproxy.contracts.Digests;

/**
 * send-dependency: fetch {@code Url} from the upstream with exactly {@code Headers}, stream it to the client
 * while storing it, then authorize and finalize at {@code UploadConfig}. Our extensions: {@code Digest} (the
 * bytes must hash to it before anything is recorded) and {@code Coalesce} (concurrent fetches with the same
 * key share one upstream download).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"Url", "Headers", "ResponseHeaders", "UploadConfig", "Digest", "Coalesce"})
public record SendDependency(
        @JsonProperty("Url") String url,
        @JsonProperty("Headers") HeaderMap headers,
        @JsonProperty("ResponseHeaders") HeaderMap responseHeaders,
        @JsonProperty("UploadConfig") UploadTarget uploadConfig,
        @JsonProperty("Digest") String digest,
        @JsonProperty("Coalesce") String coalesce) implements Injection {

    public SendDependency {
        UrlRules.requireAbsoluteHttp("send-dependency Url", url);
        if (uploadConfig == null) {
            throw new MalformedInjectionException("send-dependency UploadConfig is required");
        }
        if (digest != null && !Digests.isSha256(digest)) {
            throw new MalformedInjectionException("send-dependency Digest must be sha256:<64 hex>, was " + digest);
        }
        headers = headers == null ? HeaderMap.empty() : headers;
        responseHeaders = responseHeaders == null ? HeaderMap.empty() : responseHeaders;
        coalesce = coalesce == null || coalesce.isBlank() ? null : coalesce;
    }
}
