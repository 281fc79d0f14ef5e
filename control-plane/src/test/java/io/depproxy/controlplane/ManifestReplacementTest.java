package io.depproxy.controlplane;

import static org.awaitility.Awaitility.await;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.lifecycle.CleanupWorkers;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.TestSql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A tag that moves to another manifest leaves no orphaned object behind, and takes no object another tag uses. */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class ManifestReplacementTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    ObjectStorage storage;
    @Inject
    CleanupWorkers workers;
    @Inject
    EntityManager em;

    private static String store(String group, String image, String tag, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String digest = Digests.sha256(bytes);
        storeThroughAccelerator(path(group, image, "manifests", tag), bytes, digest, MediaTypes.OCI_MANIFEST)
                .then().statusCode(200);
        return digest;
    }

    private boolean stored(long groupId, String digest) {
        return storage.stat(ObjectKeys.manifest(groupId, digest)).isPresent();
    }

    @Test
    void theOldManifestObjectOfAMovedTagIsDeleted() {
        String group = unique("moved");
        long groupId = createGroup(group, null);
        String first = store(group, "app", "latest", "{\"v\":" + System.nanoTime() + "}");
        assertThat(stored(groupId, first)).isTrue();

        String second = store(group, "app", "latest", "{\"v\":\"second-" + System.nanoTime() + "\"}");

        await("the old object is deleted").atMost(WAIT).until(() -> {
            workers.drain();
            return !stored(groupId, first);
        });
        assertThat(stored(groupId, second)).isTrue();
        assertThat(TestSql.count(em, "SELECT count(*) FROM dependency_proxy_manifests WHERE group_id = ?1", groupId))
                .as("only the record of the new manifest is left").isEqualTo(1);
    }

    @Test
    void anObjectAnotherTagStillServesIsKept() {
        String group = unique("shared");
        long groupId = createGroup(group, null);
        String body = "{\"shared\":" + System.nanoTime() + "}";
        String shared = store(group, "app", "v1", body);
        store(group, "app", "stable", body);

        store(group, "app", "v1", "{\"v1\":\"moved-" + System.nanoTime() + "\"}");
        await("the retired record is removed").atMost(WAIT).until(() -> {
            workers.drain();
            return TestSql.count(em, "SELECT count(*) FROM dependency_proxy_manifests WHERE group_id = ?1"
                    + " AND status <> 0", groupId) == 0;
        });
        assertThat(stored(groupId, shared)).as("app:stable still serves it").isTrue();
    }
}
