package io.depproxy.controlplane.signature;

import java.util.Optional;
import java.util.function.Function;

/**
 * Where an image's signature manifest was found, with the way to read the blobs (signed payloads) it names: the
 * upstream that serves the image, or this cache's copies when that upstream could not be asked. {@code manifest}
 * null: there is no signature manifest (the upstream answered 404 under the signature tag).
 */
public record SignatureSource(byte[] manifest, Function<String, Optional<byte[]>> blobs, String from) {
    static SignatureSource absent(String from) {
        return new SignatureSource(null, digest -> Optional.empty(), from);
    }

    public boolean found() {
        return manifest != null;
    }
}
