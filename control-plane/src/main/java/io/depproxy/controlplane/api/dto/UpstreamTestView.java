package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.upstream.UpstreamProbe;

/** What an upstream answered to the connection test ({@code GET /v2/}, then with the credentials if it has some). */
public record UpstreamTestView(
        @JsonProperty("ok") boolean ok,
        @JsonProperty("reachable") boolean reachable,
        @JsonProperty("status") Integer status,
        @JsonProperty("auth_scheme") String authScheme,
        @JsonProperty("realm") String realm,
        @JsonProperty("service") String service,
        @JsonProperty("credentials_tried") boolean credentialsTried,
        @JsonProperty("authenticated_status") Integer authenticatedStatus,
        @JsonProperty("message") String message) {

    public static UpstreamTestView of(UpstreamProbe.Report report) {
        return new UpstreamTestView(report.ok(), report.reachable(), report.status(),
                report.challenge().scheme().name().toLowerCase(), report.challenge().realm(),
                report.challenge().service(), report.credentialsTried(), report.authenticatedStatus(),
                report.message());
    }
}
