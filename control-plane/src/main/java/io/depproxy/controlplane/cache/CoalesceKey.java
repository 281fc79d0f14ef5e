package io.depproxy.controlplane.cache;

import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.controlplane.upstream.UpstreamRouting;

/**
 * The {@code Coalesce} key of a fetch: {@code <kind>:<group id>:<upstream id>:<repository>@<digest>}. Concurrent
 * fetches share one download only when all of it is equal: the same group, the same upstream and the same
 * repository there, the same digest. A key of the group and the digest alone let a hostile upstream that announced
 * a popular digest feed its unverified bytes to every pull of that digest in the group, whichever upstream the pull
 * was meant for (the accelerator also compares the URL and the expected digest before it lets a request join).
 */
final class CoalesceKey {
    private CoalesceKey() {
    }

    static String manifest(PullTarget target, UpstreamRouting.Candidate candidate, String digest) {
        return of("manifest", target, candidate, digest);
    }

    static String blob(PullTarget target, UpstreamRouting.Candidate candidate, String digest) {
        return of("blob", target, candidate, digest);
    }

    private static String of(String kind, PullTarget target, UpstreamRouting.Candidate candidate, String digest) {
        return kind + ":" + target.groupId() + ":" + candidate.endpoint().id() + ":" + candidate.name() + "@" + digest;
    }
}
