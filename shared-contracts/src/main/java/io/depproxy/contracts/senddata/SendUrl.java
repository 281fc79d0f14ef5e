package io.depproxy.contracts.senddata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.depproxy.contracts.Digests;

/**
 * send-url: serve a stored object. The accelerator GETs (or HEADs, for a client HEAD) {@code URL}, copies the
 * client's Range and conditional headers, and streams the answer; {@code Redirect} answers 307 instead.
 * Our extension {@code Digest} is the sha256 the object hashes to: an accelerator holding a verified local copy
 * under that digest may serve it instead of GETting {@code URL} (the control plane has authorized and counted the
 * hit either way). Our extension {@code MissingUrl} is a request-URI on the control plane: when {@code URL} answers
 * 404 before any byte went to the client, the accelerator POSTs there (internal JWT, no body) so the control plane can
 * drop the record whose object is gone, then asks it once more for the client's request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"URL", "AllowRedirects", "Method", "Header", "ResponseHeaders", "Redirect", "Digest", "MissingUrl"})
public record SendUrl(
        @JsonProperty("URL") String url,
        @JsonProperty("AllowRedirects") boolean allowRedirects,
        @JsonProperty("Method") String method,
        @JsonProperty("Header") HeaderMap header,
        @JsonProperty("ResponseHeaders") HeaderMap responseHeaders,
        @JsonProperty("Redirect") boolean redirect,
        @JsonProperty("Digest") String digest,
        @JsonProperty("MissingUrl") String missingUrl) implements Injection {

    public SendUrl {
        UrlRules.requireAbsoluteHttp("send-url URL", url);
        method = method == null || method.isBlank() ? "GET" : method;
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new MalformedInjectionException("send-url Method must be GET or HEAD, was " + method);
        }
        if (digest != null && !Digests.isSha256(digest)) {
            throw new MalformedInjectionException("send-url Digest must be sha256:<64 hex>, was " + digest);
        }
        if (missingUrl != null) {
            UrlRules.requirePath("send-url MissingUrl", missingUrl);
        }
        header = header == null ? HeaderMap.empty() : header;
        responseHeaders = responseHeaders == null ? HeaderMap.empty() : responseHeaders;
    }

    /** A send-url without {@code MissingUrl} (as before it existed). */
    public SendUrl(String url, boolean allowRedirects, String method, HeaderMap header, HeaderMap responseHeaders,
                   boolean redirect, String digest) {
        this(url, allowRedirects, method, header, responseHeaders, redirect, digest, null);
    }

    /** The same send-url, reporting a missing object to {@code missingUrl} (a request-URI on the control plane). */
    public SendUrl withMissingUrl(String missingUrl) {
        return new SendUrl(url, allowRedirects, method, header, responseHeaders, redirect, digest, missingUrl);
    }

    /** Proxy the object at {@code url} to the client with the given response headers. */
    public static SendUrl proxy(String url, HeaderMap responseHeaders) {
        return new SendUrl(url, false, "GET", HeaderMap.empty(), responseHeaders, false, null);
    }

    /** As {@link #proxy}, for an object whose bytes hash to {@code digest} (a local verified copy may serve it). */
    public static SendUrl proxy(String url, HeaderMap responseHeaders, String digest) {
        return new SendUrl(url, false, "GET", HeaderMap.empty(), responseHeaders, false, digest);
    }

    /** Answer 307 to {@code url}. */
    public static SendUrl redirectTo(String url, HeaderMap responseHeaders) {
        return new SendUrl(url, false, "GET", HeaderMap.empty(), responseHeaders, true, null);
    }
}
