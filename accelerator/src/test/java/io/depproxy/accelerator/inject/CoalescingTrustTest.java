package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

/**
 * A download is shared only with requests for the same upstream URL and the same expected digest, whatever Coalesce
 * key they were given: two upstreams announcing one digest, one of them hostile and trickling other bytes, never
 * feed each other's pulls.
 */
class CoalescingTrustTest extends AcceleratorTestBase {
    private static final String HOSTILE_PATH = "/v2/acme/dependency_proxy/containers/evil.example/app/blobs/";
    private static final String HONEST_PATH = "/v2/acme/dependency_proxy/containers/app/blobs/";

    @Test
    void aPullFromTheHonestUpstreamNeverJoinsTheHostileDownloadOfTheSameDigest() {
        Buffer honestBytes = randomBytes(1024 * 1024, 40);
        Buffer hostileBytes = randomBytes(1024 * 1024, 41);
        String digest = digestOf(honestBytes);
        FakeUpstream hostile = FakeUpstream.start(vertx);
        hostile.serve("/v2/app/blobs/" + digest, FakeUpstream.slowBlob(vertx, hostileBytes, 16 * 1024, 40, () -> true));
        upstream.serve("/v2/app/blobs/" + digest, FakeUpstream.blob(honestBytes));
        // the key a control plane before the fix gave both: group and digest only
        String sameKey = "blob:1:" + digest;
        controlPlane.inject(HOSTILE_PATH + digest, blobMissFrom(hostile.url("/v2/app/blobs/" + digest), digest, sameKey));
        controlPlane.inject(HONEST_PATH + digest, blobMissFrom(upstream.url("/v2/app/blobs/" + digest), digest, sameKey));

        Future<ClientResponse> hostilePull = send(port, HttpMethod.GET, HOSTILE_PATH + digest, null);
        Await.await("the hostile download is running").until(() -> hostile.gets("/v2/app/blobs/" + digest) == 1
                && shared.spool().usedBytes() > 0);
        ClientResponse honestPull = get(HONEST_PATH + digest);

        assertThat(honestPull.completeOk()).isTrue();
        assertThat(honestPull.body()).isEqualTo(honestBytes);
        assertThat(upstream.gets("/v2/app/blobs/" + digest)).isEqualTo(1);
        assertThat(Await.result(hostilePull).completeOk()).as("the hostile bytes never complete").isFalse();
        Await.await("the honest download finalized").until(() -> controlPlane.finalizeCalls().size() == 1);
        Await.await("spool cleaned up").until(this::spoolIsEmpty);
        assertThat(controlPlane.finalizeCalls()).hasSize(1);
    }

    @Test
    void aRequestExpectingAnotherDigestNeverCompletesWithBytesCheckedAgainstADifferentOne() {
        Buffer bytes = randomBytes(1024 * 1024, 42);
        String servedDigest = digestOf(bytes);
        String otherDigest = digestOf(randomBytes(16, 43));
        upstream.serve("/blob", FakeUpstream.slowBlob(vertx, bytes, 16 * 1024, 20, () -> true));
        String sameKey = "blob:1:2:app@" + servedDigest;
        controlPlane.inject(blobPath(servedDigest), blobMiss("/blob", servedDigest, sameKey));
        controlPlane.inject(blobPath(otherDigest), blobMiss("/blob", otherDigest, sameKey));

        Future<ClientResponse> first = send(port, HttpMethod.GET, blobPath(servedDigest), null);
        Await.await("the first download is running")
                .until(() -> upstream.gets("/blob") == 1 && shared.spool().usedBytes() > 0);
        ClientResponse expectingOther = get(blobPath(otherDigest));

        assertThat(expectingOther.completeOk()).as("bytes that hash to another digest").isFalse();
        assertThat(Await.result(first).body()).isEqualTo(bytes);
        assertThat(upstream.gets("/blob")).isEqualTo(2);
        Await.await("spool cleaned up").until(this::spoolIsEmpty);
        assertThat(controlPlane.finalizeCalls()).hasSize(1);
    }
}
