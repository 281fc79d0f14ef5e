package io.depproxy.controlplane.domain;

import io.depproxy.contracts.Digests;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A cached blob ({@code dependency_proxy_blobs}); {@code fileName} is GitLab's {@code <hex>.gz}.
 * Rows are written by {@link BlobRepository#insertOrRevive} and only read through this entity.
 */
@Entity
@Table(name = "dependency_proxy_blobs")
public class CachedBlob {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "group_id", nullable = false)
    private Long groupId;
    @Column(name = "file_name", nullable = false)
    private String fileName;
    @Column(nullable = false)
    private String digest;
    @Column(nullable = false)
    private long size;
    @Column(name = "object_key", nullable = false)
    private String objectKey;
    @Column(nullable = false)
    private short status;
    @Column(name = "read_at", nullable = false)
    private Instant readAt;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Column(name = "fetched_ahead", nullable = false)
    private boolean fetchedAhead;

    public static String fileName(String digest) {
        return Digests.hexOf(digest) + ".gz";
    }

    public Long getId() {
        return id;
    }

    public Long getGroupId() {
        return groupId;
    }

    public String getFileName() {
        return fileName;
    }

    public String getDigest() {
        return digest;
    }

    public long getSize() {
        return size;
    }

    public String getObjectKey() {
        return objectKey;
    }

    public CacheStatus getStatus() {
        return CacheStatus.of(status);
    }

    public Instant getReadAt() {
        return readAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** Stored by the accelerator's read-ahead, and no client has asked for it since. */
    public boolean isFetchedAhead() {
        return fetchedAhead;
    }
}
