package io.depproxy.controlplane.signature;

import io.depproxy.controlplane.domain.SignatureCheckRepository;
import io.depproxy.controlplane.support.ShortLivedCache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Signature checks remembered per group, repository, digest and key set: in the database for every replica (a
 * verified image for {@link #VERIFIED_KEPT}, a refused one for {@link #REFUSED_KEPT} only, so a signature pushed
 * later is found), and for a few minutes in this replica's memory, so a pull of a checked image adds no query.
 * A check that could not be made ({@code UNAVAILABLE}) is never remembered.
 */
@ApplicationScoped
public class SignatureResults {
    static final Duration VERIFIED_KEPT = Duration.ofDays(7);
    static final Duration REFUSED_KEPT = Duration.ofMinutes(1);
    static final Duration IN_MEMORY = Duration.ofMinutes(5);
    private static final int MAX_IN_MEMORY = 20_000;

    /** What a check is remembered under. */
    public record Key(long groupId, String image, String digest, String keySetId) {
    }

    @Inject
    SignatureCheckRepository checks;

    private final ShortLivedCache<Key, Verdict> memory = new ShortLivedCache<>(IN_MEMORY, MAX_IN_MEMORY);

    public Optional<Verdict> remembered(Key key) {
        Optional<Verdict> held = memory.get(key);
        if (held.isPresent()) {
            return held;
        }
        Optional<SignatureCheckRepository.Stored> stored = checks.find(key.groupId(), key.image(), key.digest(),
                key.keySetId());
        stored.ifPresent(check -> keep(key, verdict(check), check.expiresAt()));
        return stored.map(SignatureResults::verdict);
    }

    public void remember(Key key, Verdict verdict) {
        if (verdict.outcome() == Verdict.Outcome.UNAVAILABLE) {
            return;
        }
        Instant expires = Instant.now().plus(verdict.verified() ? VERIFIED_KEPT : REFUSED_KEPT);
        checks.save(key.groupId(), key.image(), key.digest(), key.keySetId(), verdict.outcome().label(),
                verdict.reason(), expires);
        keep(key, verdict, expires);
    }

    /** Expired checks are looked past by every read; once an hour they are removed (on any replica, harmlessly). */
    @Scheduled(identity = "dp-signature-checks-expiry", every = "1h", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void removeExpired() {
        try {
            checks.deleteExpired();
        } catch (RuntimeException e) {
            Log.warnf("expired signature checks not removed: %s", e.getMessage());
        }
    }

    private void keep(Key key, Verdict verdict, Instant expires) {
        memory.put(key, verdict, Duration.between(Instant.now(), expires));
    }

    private static Verdict verdict(SignatureCheckRepository.Stored check) {
        return new Verdict(Verdict.Outcome.valueOf(check.outcome().toUpperCase(Locale.ROOT)), check.reason());
    }
}
