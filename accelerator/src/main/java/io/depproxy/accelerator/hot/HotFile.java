package io.depproxy.accelerator.hot;

import java.nio.file.Path;

/**
 * A verified copy of an object in the hot tier: its bytes hashed to {@code digest} when it was written or, after a
 * restart, when it was checked again. {@code lastModifiedMillis} is what the file said then: a file changed since
 * (same name, other bytes) no longer matches and is never served.
 */
public record HotFile(String digest, Path path, long size, long lastModifiedMillis) {
}
