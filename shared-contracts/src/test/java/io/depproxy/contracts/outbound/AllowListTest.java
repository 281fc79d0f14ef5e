package io.depproxy.contracts.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DP_OUTBOUND_ALLOW: hosts, host:port and address blocks; anything else stops the start-up with a clear message. */
class AllowListTest {

    @Test
    void readsEveryKindOfEntry() throws UnknownHostException {
        AllowList list = AllowList.parse(" registry.internal , mirror.corp:5000,10.0.0.0/8, 127.0.0.1:7000, [::1]:7001,"
                + " fd00::/8 ,");
        InetAddress elsewhere = InetAddress.getByName("93.184.216.34");

        assertThat(list.allows(Origin.of("http://REGISTRY.internal:1234"), elsewhere)).isTrue();
        assertThat(list.allows(Origin.of("http://mirror.corp:5000"), elsewhere)).isTrue();
        assertThat(list.allows(Origin.of("http://mirror.corp:5001"), elsewhere)).isFalse();
        assertThat(list.allows(Origin.of("http://any.example"), InetAddress.getByName("10.200.0.1"))).isTrue();
        assertThat(list.allows(Origin.of("http://any.example:7000"), InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(list.allows(Origin.of("http://any.example:7002"), InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(list.allows(Origin.of("http://[::1]:7001"), InetAddress.getByName("::1"))).isTrue();
        assertThat(list.allows(Origin.of("http://x.example"), InetAddress.getByName("fd00::5"))).isTrue();
        assertThat(list.allows(Origin.of("http://x.example"), elsewhere)).isFalse();
    }

    @Test
    void emptyMeansNothingIsAllowListed() {
        assertThat(AllowList.parse(null).isEmpty()).isTrue();
        assertThat(AllowList.parse(" , ").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://registry.internal", "10.0.0.0/33", "300.1.1.1/8", "host:0", "host:99999",
            "under_score.example", "a b", "10.0.0.0/x", "[::1]:x"})
    void refusesWhatIsNotAnEntry(String entry) {
        assertThatThrownBy(() -> AllowList.parse("ok.example," + entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DP_OUTBOUND_ALLOW").hasMessageContaining(entry.trim());
    }
}
