package io.depproxy.controlplane.storage;

/** What storage says about an object. */
public record ObjectStat(String key, long size, String contentType, String etag) {
}
