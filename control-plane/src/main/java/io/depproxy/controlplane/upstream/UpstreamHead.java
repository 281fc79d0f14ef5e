package io.depproxy.controlplane.upstream;

/** The upstream's answer to a HEAD: status and the descriptive headers (null when absent). */
public record UpstreamHead(int status, String contentType, Long contentLength, String digest) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** 401 or 403: the upstream refused our credentials (or hides a repository that does not exist). */
    public boolean refused() {
        return UpstreamAccessRefused.isRefusal(status);
    }
}
