package io.depproxy.accelerator.inject;

import io.depproxy.contracts.senddata.SendDependency;
import java.util.Optional;

/**
 * What a send-dependency may share a running download under: the control plane's {@code Coalesce} key (which names
 * the group, the upstream, the repository and the digest) and, besides it, the fetch itself: the upstream URL, the
 * digest the bytes must hash to and the cap. A request whose URL or expected digest differs from a running fetch's
 * never joins it, whatever key it was given: its bytes would come from another upstream, or be checked against
 * another digest, than the ones its own decision named, and a hostile upstream that announced a popular digest
 * would feed its unverified bytes to every pull of that digest. Such a request starts a fetch of its own (which
 * requests like it may join).
 */
public record CoalesceKey(String coalesce, String url, String digest, Long maximumSize) {

    /** The key of {@code dependency}, or empty when the control plane asked for a download of its own. */
    static Optional<CoalesceKey> of(SendDependency dependency) {
        return dependency.coalesce() == null ? Optional.empty() : Optional.of(new CoalesceKey(dependency.coalesce(),
                dependency.url(), dependency.digest(), dependency.maximumSize()));
    }
}
