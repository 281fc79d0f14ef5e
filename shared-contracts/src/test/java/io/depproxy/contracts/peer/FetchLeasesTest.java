package io.depproxy.contracts.peer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FetchLeasesTest {

    @Test
    void aPeerUrlIsASchemeAHostAndAPortOnly() {
        assertThat(FetchLeases.isPeerUrl("http://10.1.2.3:8090")).isTrue();
        assertThat(FetchLeases.isPeerUrl("http://accelerator-0.peers:8090/")).isTrue();
        assertThat(FetchLeases.isPeerUrl("https://[fd00::5]:8090")).isTrue();
        assertThat(FetchLeases.isPeerUrl(null)).isFalse();
        assertThat(FetchLeases.isPeerUrl("10.1.2.3:8090")).isFalse();
        assertThat(FetchLeases.isPeerUrl("ftp://10.1.2.3")).isFalse();
        assertThat(FetchLeases.isPeerUrl("http://u:p@10.1.2.3:8090")).isFalse();
        assertThat(FetchLeases.isPeerUrl("http://10.1.2.3:8090/x")).isFalse();
        assertThat(FetchLeases.isPeerUrl("http://10.1.2.3:8090?a=b")).isFalse();
        assertThat(FetchLeases.isPeerUrl("http://" + "a".repeat(600))).isFalse();
    }

    @Test
    void thePeerRouteAndTheReportNameTheKeyEncoded() {
        String key = "blob:1:2:library/alpine@sha256:ab";
        assertThat(FetchLeases.peerFetchUrl("http://10.1.2.3:8090/", key))
                .isEqualTo("http://10.1.2.3:8090/-/peer/fetches?key=blob%3A1%3A2%3Alibrary%2Falpine%40sha256%3Aab");
        assertThat(FetchLeases.peerGoneUrl("http://10.1.2.3:8090", key)).isEqualTo(
                "/-/internal/fetch-leases/peer-gone?key=blob%3A1%3A2%3Alibrary%2Falpine%40sha256%3Aab"
                        + "&peer=http%3A%2F%2F10.1.2.3%3A8090");
    }
}
