package io.depproxy.accelerator.stream.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download stopped while a batch was on its way to disk (a cap reached, an upstream reset): the batch lands after
 * the entry was deleted and must not be charged to the spool, or its space would never come back.
 */
class SpoolEntryLateBatchTest {
    @TempDir
    Path dir;
    private Vertx vertx;
    private Spool spool;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        spool = new Spool(dir, 64L << 20, vertx.fileSystem(), Spool.RECENT_BYTES_BUDGET);
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
    }

    @Test
    void aBatchThatLandsAfterTheEntryWasDeletedChargesNothing() {
        SpoolEntry entry = spool.tryCreate(-1);
        Buffer batch = Buffer.buffer(new byte[64 * 1024]);
        entry.advance(batch.length(), List.of(batch));
        assertThat(spool.usedBytes()).isEqualTo(batch.length());

        entry.fail(new IllegalStateException("stopped"));
        entry.release();
        Await.await("the entry's space given back").until(() -> spool.usedBytes() == 0);
        entry.advance(batch.length(), List.of(batch));

        assertThat(spool.usedBytes()).isZero();
        assertThat(spool.recentBytesLeft()).isEqualTo(Spool.RECENT_BYTES_BUDGET);
    }
}
