package io.depproxy.controlplane.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A prefetch job ({@code dependency_proxy_prefetch_jobs}): what to pull, and how far it got. {@code images} holds
 * the per-image progress as JSON (see {@code prefetch.ImageProgress}); the totals are kept beside it for queries.
 */
@Entity
@Table(name = "dependency_proxy_prefetch_jobs")
public class PrefetchJob {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String PARTIAL = "partial";
    public static final String FAILED = "failed";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "group_id", nullable = false, updatable = false)
    private Long groupId;
    @Column(nullable = false)
    private String status;
    private String platforms;
    @Column(nullable = false)
    private String images;
    @Column(name = "images_total", nullable = false)
    private int imagesTotal;
    @Column(name = "images_done", nullable = false)
    private int imagesDone;
    @Column(name = "bytes_total", nullable = false)
    private long bytesTotal;
    @Column(name = "bytes_done", nullable = false)
    private long bytesDone;
    @Column(name = "created_by")
    private Long createdBy;
    @Column(name = "heartbeat_at", nullable = false)
    private Instant heartbeatAt;
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Column(name = "finished_at")
    private Instant finishedAt;

    public static PrefetchJob create(long groupId, Long createdBy, String platforms, String images, int imagesTotal,
                                     Instant now) {
        PrefetchJob job = new PrefetchJob();
        job.groupId = groupId;
        job.createdBy = createdBy;
        job.status = QUEUED;
        job.platforms = platforms;
        job.images = images;
        job.imagesTotal = imagesTotal;
        job.heartbeatAt = now;
        job.createdAt = now;
        job.updatedAt = now;
        return job;
    }

    /** The runner's latest view of the job. */
    public void progress(String status, String images, int imagesDone, long bytesDone, long bytesTotal, Instant now) {
        this.status = status;
        this.images = images;
        this.imagesDone = imagesDone;
        this.bytesDone = bytesDone;
        this.bytesTotal = bytesTotal;
        this.heartbeatAt = now;
        this.updatedAt = now;
        if (!QUEUED.equals(status) && !RUNNING.equals(status)) {
            this.finishedAt = now;
        }
    }

    public boolean finished() {
        return finishedAt != null;
    }

    public Long getId() {
        return id;
    }

    public Long getGroupId() {
        return groupId;
    }

    public String getStatus() {
        return status;
    }

    public String getPlatforms() {
        return platforms;
    }

    public String getImages() {
        return images;
    }

    public int getImagesTotal() {
        return imagesTotal;
    }

    public int getImagesDone() {
        return imagesDone;
    }

    public long getBytesTotal() {
        return bytesTotal;
    }

    public long getBytesDone() {
        return bytesDone;
    }

    public Instant getHeartbeatAt() {
        return heartbeatAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }
}
