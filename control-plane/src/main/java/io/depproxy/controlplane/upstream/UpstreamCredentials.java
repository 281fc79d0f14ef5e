package io.depproxy.controlplane.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Basic credentials for the upstream's token service (or its Basic auth): a group's, or the instance-wide ones. */
public record UpstreamCredentials(String identity, String secret) {

    public String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((identity + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "UpstreamCredentials[" + identity + ", masked]";
    }
}
