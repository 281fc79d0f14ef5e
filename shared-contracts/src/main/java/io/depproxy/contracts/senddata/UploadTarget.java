package io.depproxy.contracts.senddata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Where the accelerator finalizes a stored download ({@code UploadConfig}). {@code Url} is a request-URI on the
 * control plane (or absolute URL); authorize is {@code Url + "/authorize"}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"Method", "Url", "Headers"})
public record UploadTarget(
        @JsonProperty("Method") String method,
        @JsonProperty("Url") String url,
        @JsonProperty("Headers") HeaderMap headers) {

    public UploadTarget {
        method = method == null || method.isBlank() ? "POST" : method;
        if (!method.equals("POST") && !method.equals("PUT")) {
            throw new MalformedInjectionException("UploadConfig Method must be POST or PUT, was " + method);
        }
        UrlRules.requireUrlOrPath("UploadConfig Url", url);
        headers = headers == null ? HeaderMap.empty() : headers;
    }

    public String authorizeUrl() {
        return url + "/authorize";
    }
}
