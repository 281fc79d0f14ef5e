package io.depproxy.contracts.senddata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * send-url: serve a stored object. The accelerator GETs (or HEADs, for a client HEAD) {@code URL}, copies the
 * client's Range and conditional headers, and streams the answer; {@code Redirect} answers 307 instead.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"URL", "AllowRedirects", "Method", "Header", "ResponseHeaders", "Redirect"})
public record SendUrl(
        @JsonProperty("URL") String url,
        @JsonProperty("AllowRedirects") boolean allowRedirects,
        @JsonProperty("Method") String method,
        @JsonProperty("Header") HeaderMap header,
        @JsonProperty("ResponseHeaders") HeaderMap responseHeaders,
        @JsonProperty("Redirect") boolean redirect) implements Injection {

    public SendUrl {
        UrlRules.requireAbsoluteHttp("send-url URL", url);
        method = method == null || method.isBlank() ? "GET" : method;
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new MalformedInjectionException("send-url Method must be GET or HEAD, was " + method);
        }
        header = header == null ? HeaderMap.empty() : header;
        responseHeaders = responseHeaders == null ? HeaderMap.empty() : responseHeaders;
    }

    /** Proxy the object at {@code url} to the client with the given response headers. */
    public static SendUrl proxy(String url, HeaderMap responseHeaders) {
        return new SendUrl(url, false, "GET", HeaderMap.empty(), responseHeaders, false);
    }

    /** Answer 307 to {@code url}. */
    public static SendUrl redirectTo(String url, HeaderMap responseHeaders) {
        return new SendUrl(url, false, "GET", HeaderMap.empty(), responseHeaders, true);
    }
}
