package io.depproxy.controlplane.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A cached manifest ({@code dependency_proxy_manifests}); {@code fileName} is {@code <image>:<tag or digest>.json}.
 * Rows are written by {@link ManifestRepository#upsert} and only read through this entity.
 */
@Entity
@Table(name = "dependency_proxy_manifests")
public class CachedManifest {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "group_id", nullable = false)
    private Long groupId;
    @Column(name = "image_name", nullable = false)
    private String imageName;
    @Column(name = "file_name", nullable = false)
    private String fileName;
    @Column(nullable = false)
    private String digest;
    @Column(name = "content_type", nullable = false)
    private String contentType;
    @Column(nullable = false)
    private long size;
    @Column(name = "object_key", nullable = false)
    private String objectKey;
    @Column(nullable = false)
    private short status;
    @Column(name = "read_at", nullable = false)
    private Instant readAt;
    /** When the upstream last confirmed (or delivered) this digest for the tag. */
    @Column(name = "validated_at", nullable = false)
    private Instant validatedAt;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    /** The upstream that served it; null when unknown (a record older than many upstreams, or a deleted upstream). */
    @Column(name = "upstream_id")
    private Long upstreamId;

    public static String fileName(String image, String reference) {
        return image + ":" + reference + ".json";
    }

    public Long getId() {
        return id;
    }

    public Long getGroupId() {
        return groupId;
    }

    public String getImageName() {
        return imageName;
    }

    public String getFileName() {
        return fileName;
    }

    public String getDigest() {
        return digest;
    }

    public String getContentType() {
        return contentType;
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

    public Instant getValidatedAt() {
        return validatedAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Long getUpstreamId() {
        return upstreamId;
    }
}
