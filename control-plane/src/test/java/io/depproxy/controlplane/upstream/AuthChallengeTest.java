package io.depproxy.controlplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthChallengeTest {

    @Test
    void parsesDockerHubsBearerChallenge() {
        AuthChallenge challenge = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\"");
        assertThat(challenge).isEqualTo(new AuthChallenge(AuthChallenge.Scheme.BEARER,
                "https://auth.docker.io/token", "registry.docker.io"));
    }

    @Test
    void parsesUnquotedParametersAndAnyCase() {
        AuthChallenge challenge = AuthChallenge.parse("bearer Realm=https://ghcr.io/token, service=ghcr.io,scope=x");
        assertThat(challenge.scheme()).isEqualTo(AuthChallenge.Scheme.BEARER);
        assertThat(challenge.realm()).isEqualTo("https://ghcr.io/token");
        assertThat(challenge.service()).isEqualTo("ghcr.io");
    }

    @Test
    void recognisesBasicAndNothing() {
        assertThat(AuthChallenge.parse("Basic realm=\"Registry Realm\"").scheme()).isEqualTo(AuthChallenge.Scheme.BASIC);
        assertThat(AuthChallenge.parse(null)).isEqualTo(AuthChallenge.NONE);
        assertThat(AuthChallenge.parse("Bearer service=\"no-realm\"")).isEqualTo(AuthChallenge.NONE);
    }
}
