package io.depproxy.contracts.senddata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.depproxy.contracts.Digests;

/**
 * send-peer: another accelerator replica is downloading this object from the upstream right now (it holds the
 * control plane's fetch lease); stream it from that replica's spool instead of asking the upstream a second time.
 * The accelerator GETs {@code Url} (the fetching replica's peer route for that download) with {@code Header} and its
 * own internal JWT (the secret never travels in the injection), checks the bytes against {@code Digest} and
 * {@code Size} (when known) as they pass, and stores nothing (the fetching replica stores the object). Our
 * extensions: {@code ResponseHeaders} (what the client is told, as a send-dependency's) and {@code PeerGoneUrl} (a
 * request-URI on the control plane: when the peer cannot be reached, or no longer has the download, before any byte
 * went to the client, the accelerator POSTs there (internal JWT, no body) so the lease is dropped, then asks once
 * more for the client's request).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"Url", "Digest", "Size", "Header", "ResponseHeaders", "PeerGoneUrl"})
public record SendPeer(
        @JsonProperty("Url") String url,
        @JsonProperty("Digest") String digest,
        @JsonProperty("Size") Long size,
        @JsonProperty("Header") HeaderMap header,
        @JsonProperty("ResponseHeaders") HeaderMap responseHeaders,
        @JsonProperty("PeerGoneUrl") String peerGoneUrl) implements Injection {

    public SendPeer {
        UrlRules.requireAbsoluteHttp("send-peer Url", url);
        if (digest == null || !Digests.isSha256(digest)) {
            throw new MalformedInjectionException("send-peer Digest must be sha256:<64 hex>, was " + digest);
        }
        if (size != null && size < 0) {
            throw new MalformedInjectionException("send-peer Size must be a byte count, was " + size);
        }
        if (peerGoneUrl != null) {
            UrlRules.requirePath("send-peer PeerGoneUrl", peerGoneUrl);
        }
        header = header == null ? HeaderMap.empty() : header;
        responseHeaders = responseHeaders == null ? HeaderMap.empty() : responseHeaders;
    }
}
