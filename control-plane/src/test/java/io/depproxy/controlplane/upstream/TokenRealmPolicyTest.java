package io.depproxy.controlplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.contracts.outbound.AllowList;
import io.depproxy.contracts.outbound.OutboundPolicy;
import io.depproxy.contracts.outbound.OwnServices;
import io.depproxy.contracts.outbound.Resolver;
import io.depproxy.controlplane.support.HostileRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upstream's Bearer challenge names a token realm the proxy would send the upstream's credentials to. A realm the
 * destination policy refuses is never contacted and the challenge is not remembered; a realm the policy lets through
 * still gets credentials only over https or on the http upstream's own host.
 */
class TokenRealmPolicyTest {
    private static final UpstreamCredentials CREDENTIALS = new UpstreamCredentials("robot", "s3cret");

    private final HostileRegistry upstream = HostileRegistry.start();
    private final HostileRegistry tokens = HostileRegistry.start();

    @AfterEach
    void stop() {
        upstream.close();
        tokens.close();
    }

    private UpstreamAuthenticator authenticator(String allow) {
        OutboundDestinations destinations = new OutboundDestinations(new OutboundPolicy(AllowList.parse(allow),
                OwnServices.NONE, Resolver.SYSTEM));
        return new UpstreamAuthenticator(new UpstreamHttp(destinations), destinations);
    }

    private UpstreamEndpoint endpoint(UpstreamCredentials credentials) {
        return new UpstreamEndpoint(1, "hostile.test", upstream.baseUrl(), "", credentials, null, false);
    }

    @Test
    void aRealmOnAnotherHostNameIsNeverContactedAndTheChallengeNotRemembered() {
        // the same server, but as "localhost": another origin than the upstream's 127.0.0.1
        upstream.challengeWithRealm("http://localhost:" + upstream.port() + "/token");
        UpstreamAuthenticator authenticator = authenticator("");

        for (int pull = 0; pull < 2; pull++) {
            assertThatThrownBy(() -> authenticator.authorization(endpoint(CREDENTIALS), "library/app", null))
                    .isInstanceOf(UpstreamDestinationRefused.class).hasMessageContaining("localhost");
        }

        assertThat(upstream.requests("/token")).isEmpty();
        assertThat(upstream.requests("/v2/")).as("asked again: the refused challenge was not remembered").hasSize(2);
    }

    @Test
    void aRealmOnANonAllowListedPortIsNeverContacted() {
        upstream.challengeWithRealm(tokens.baseUrl() + "/token");
        UpstreamAuthenticator authenticator = authenticator("");

        assertThatThrownBy(() -> authenticator.authorization(endpoint(CREDENTIALS), "library/app", null))
                .isInstanceOf(UpstreamDestinationRefused.class);

        assertThat(tokens.requests()).isEmpty();
    }

    @Test
    void anAllowListedRealmOverHttpOnAnotherHostGetsNoCredentials() {
        upstream.challengeWithRealm("http://localhost:" + tokens.port() + "/token");
        UpstreamAuthenticator authenticator = authenticator("localhost:" + tokens.port());

        assertThatThrownBy(() -> authenticator.authorization(endpoint(CREDENTIALS), "library/app", null))
                .isInstanceOf(UpstreamDestinationRefused.class).hasMessageContaining("plain http");
        assertThat(tokens.requests()).isEmpty();

        Optional<String> anonymous = authenticator.authorization(endpoint(null), "library/app", null);
        assertThat(anonymous).contains("Bearer hostile-token");
        assertThat(tokens.requests("/token")).extracting(HostileRegistry.Seen::authorization)
                .containsExactly((String) null);
    }

    @Test
    void anAllowListedRealmOverHttpOnTheUpstreamsHostGetsTheCredentials() {
        upstream.challengeWithRealm(tokens.baseUrl() + "/token");
        UpstreamAuthenticator authenticator = authenticator("127.0.0.1:" + tokens.port());

        Optional<String> authorization = authenticator.authorization(endpoint(CREDENTIALS), "library/app", null);

        assertThat(authorization).contains("Bearer hostile-token");
        assertThat(tokens.requests("/token")).extracting(HostileRegistry.Seen::authorization)
                .isEqualTo(List.of(CREDENTIALS.basicHeader()));
    }
}
