package io.depproxy.controlplane;

import static org.awaitility.Awaitility.await;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.asRoot;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.path;
import static io.depproxy.controlplane.support.TestApi.storeThroughAccelerator;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.lifecycle.CleanupWorkers;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.TransactionCheckingObjectStorage;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Storing, serving and deleting cache entries never calls the object store while a database transaction is open. */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class ObjectStorageOutsideTransactionsTest {
    @Inject
    TransactionCheckingObjectStorage storage;
    @Inject
    CleanupWorkers workers;

    @Test
    void noObjectStoreCallRunsInsideATransaction() {
        String group = unique("tx");
        long groupId = createGroup(group, null);
        byte[] blob = unique("blob").getBytes(StandardCharsets.UTF_8);
        String blobPath = path(group, "app", "blobs", Digests.sha256(blob));
        storeThroughAccelerator(blobPath, blob, null, null).then().statusCode(200);
        byte[] manifest = ("{\"m\":\"" + unique("m") + "\"}").getBytes(StandardCharsets.UTF_8);
        storeThroughAccelerator(path(group, "app", "manifests", "v1"), manifest, Digests.sha256(manifest),
                MediaTypes.OCI_MANIFEST).then().statusCode(200);
        asRoot().get(blobPath).then().statusCode(200);
        asRoot().get(path(group, "app", "manifests", Digests.sha256(manifest))).then().statusCode(200);

        asAdmin().delete("/api/v4/groups/" + groupId + "/dependency_proxy/cache").then().statusCode(202);
        await("the purged objects deleted").atMost(Duration.ofSeconds(20)).until(() -> {
            workers.drain();
            return storage.stat(ObjectKeys.blob(groupId, Digests.sha256(blob)))
                    .isEmpty();
        });

        assertThat(storage.callsInsideTransactions()).isEmpty();
    }
}
