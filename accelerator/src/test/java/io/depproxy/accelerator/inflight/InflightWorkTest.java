package io.depproxy.accelerator.inflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

/** What shutdown waits for: an upload counts from its start until its future completes, however it ends. */
class InflightWorkTest {

    @Test
    void anUploadCountsUntilItsFutureCompletes() {
        InflightWork work = new InflightWork();
        Promise<Void> stored = Promise.promise();
        Promise<Void> failed = Promise.promise();

        work.upload(stored::future);
        work.upload(failed::future);
        assertThat(work.uploads()).isEqualTo(2);

        stored.complete();
        failed.fail("object store gone");
        assertThat(work.uploads()).isZero();
    }

    @Test
    void anUploadThatThrowsBeforeStartingIsNotLeftCounted() {
        InflightWork work = new InflightWork();

        Future<Void> upload = work.upload(() -> {
            throw new IllegalStateException("no spool entry");
        });

        assertThat(upload.failed()).isTrue();
        assertThat(work.uploads()).isZero();
    }

    @Test
    void streamsCountBetweenStartAndEnd() {
        InflightWork work = new InflightWork();

        work.streamStarted();
        work.streamStarted();
        work.streamEnded();

        assertThat(work.streams()).isEqualTo(1);
    }
}
