package io.depproxy.controlplane.prefetch;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.controlplane.prefetch.RegistryPull.Manifest;
import io.depproxy.controlplane.prefetch.RegistryPull.PullFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * One prefetch job, image after image: the manifest (and, for an index, the asked platforms' manifests), then every
 * blob not pulled yet by this job, several at once on the shared blob pool. With the chain, also the image's cosign
 * signature ({@code sha256-<hex>.sig}, when it has one), its referrers index (so the cache remembers the answer) and
 * each referrer's manifest and blobs, counted with the image's. One image failing does not stop the others; its error
 * is kept in its progress.
 */
final class JobRun implements Runnable {
    private static final Logger LOG = Logger.getLogger(JobRun.class);

    /** Where the run reports (the job row); called from several threads. */
    interface Progress {
        /** {@code milestone}: an image changed state (not only bytes) or the job ended; worth saving at once. */
        void report(List<ImageProgress> images, boolean milestone, boolean finished);
    }

    /** Waits until the manifests and blobs pulled are servable from the cache; false when they were not in time. */
    interface Stored {
        boolean await(Collection<String> manifestDigests, Collection<String> blobDigests) throws InterruptedException;
    }

    private record BlobRef(String digest, long size) {
    }

    private final long jobId;
    private final List<ImageReference> images;
    private final List<Platform> platforms;
    private final boolean withChain;
    private final Function<ImageReference, RegistryPull> pulls;
    private final ExecutorService blobPool;
    private final Progress progress;
    private final Stored stored;
    private final List<ImageProgress> state = new ArrayList<>();
    private final Set<String> pulledBlobs = new HashSet<>();

    JobRun(long jobId, List<ImageReference> images, List<Platform> platforms, boolean withChain,
           Function<ImageReference, RegistryPull> pulls, ExecutorService blobPool, Progress progress, Stored stored) {
        this.jobId = jobId;
        this.images = images;
        this.platforms = platforms;
        this.withChain = withChain;
        this.pulls = pulls;
        this.blobPool = blobPool;
        this.progress = progress;
        this.stored = stored;
        images.forEach(image -> state.add(ImageProgress.pending(image.toString())));
    }

    @Override
    public void run() {
        try {
            for (int i = 0; i < images.size(); i++) {
                pullImage(i);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            markUnfinished("the control plane stopped during the prefetch");
        } catch (RuntimeException e) {
            LOG.errorf(e, "prefetch job %d failed", jobId);
            markUnfinished("internal error: " + e.getMessage());
        }
        report(true, true);
    }

    private void pullImage(int index) throws InterruptedException {
        ImageReference image = images.get(index);
        RegistryPull pull = pulls.apply(image);
        try {
            Manifest top = pull.manifest(image.reference());
            List<Manifest> manifests = new ArrayList<>(platformManifests(pull, top));
            if (withChain) {
                manifests.addAll(chain(pull, top));
            }
            Map<String, BlobRef> blobs = new LinkedHashMap<>();
            for (Manifest manifest : manifests) {
                blobsOf(manifest.body()).forEach(blob -> blobs.putIfAbsent(blob.digest(), blob));
            }
            blobs.keySet().removeIf(digest -> !pulledBlobs.add(digest));
            long total = blobs.values().stream().mapToLong(BlobRef::size).sum();
            change(index, true, p -> p.resolved(manifests.size(), blobs.size(), total));
            List<Future<?>> pending = new ArrayList<>();
            for (BlobRef blob : blobs.values()) {
                pending.add(blobPool.submit(() -> {
                    pull.blob(blob.digest(), blob.size(), bytes -> change(index, false, p -> p.advanced(bytes)));
                    return null;
                }));
            }
            for (Future<?> blob : pending) {
                blob.get();
            }
            if (!stored.await(manifests.stream().map(Manifest::digest).toList(), blobs.keySet())) {
                throw new PullFailure("pulled, but not in the cache within " + StoredObjects.PATIENCE.toSeconds()
                        + " s (see the accelerator's log)");
            }
            change(index, true, ImageProgress::done);
        } catch (ExecutionException e) {
            fail(index, e.getCause());
        } catch (PullFailure | IOException e) {
            fail(index, e);
        }
    }

    private List<Manifest> platformManifests(RegistryPull pull, Manifest top)
            throws IOException, InterruptedException, PullFailure {
        if (!top.isIndex()) {
            return List.of(top);
        }
        List<Manifest> chosen = new ArrayList<>();
        for (JsonNode entry : top.body().path("manifests")) {
            JsonNode platform = entry.path("platform");
            boolean wanted = platforms.isEmpty() ? !Platform.isPlaceholder(platform)
                    : platforms.stream().anyMatch(p -> p.matches(platform));
            if (wanted) {
                Manifest child = pull.manifest(entry.path("digest").asText());
                if (child.isIndex()) {
                    throw new PullFailure("nested image index " + entry.path("digest").asText() + " is not supported");
                }
                chosen.add(child);
            }
        }
        if (chosen.isEmpty()) {
            throw new PullFailure("the image index has no manifest for " + (platforms.isEmpty() ? "any platform"
                    : platforms));
        }
        return chosen;
    }

    /** The image's signature manifest under cosign's tag, when it has one, and the manifest of each referrer. */
    private static List<Manifest> chain(RegistryPull pull, Manifest top)
            throws IOException, InterruptedException, PullFailure {
        List<Manifest> chain = new ArrayList<>();
        pull.manifestIfPresent(top.digest().replace(':', '-') + ".sig").ifPresent(chain::add);
        for (JsonNode referrer : pull.referrers(top.digest()).path("manifests")) {
            chain.add(pull.manifest(referrer.path("digest").asText()));
        }
        return chain;
    }

    private static List<BlobRef> blobsOf(JsonNode manifest) {
        List<BlobRef> blobs = new ArrayList<>();
        JsonNode config = manifest.path("config");
        if (config.has("digest")) {
            blobs.add(new BlobRef(config.path("digest").asText(), config.path("size").asLong()));
        }
        for (JsonNode layer : manifest.path("layers")) {
            blobs.add(new BlobRef(layer.path("digest").asText(), layer.path("size").asLong()));
        }
        return blobs;
    }

    private void fail(int index, Throwable cause) {
        String why = cause instanceof PullFailure ? cause.getMessage() : "pull failed: " + cause;
        LOG.warnf("prefetch job %d: %s: %s", jobId, images.get(index), why);
        change(index, true, p -> p.failed(why));
    }

    private synchronized void markUnfinished(String why) {
        for (int i = 0; i < state.size(); i++) {
            String status = state.get(i).status();
            if (!ImageProgress.DONE.equals(status) && !ImageProgress.FAILED.equals(status)) {
                state.set(i, state.get(i).failed(why));
            }
        }
    }

    private void change(int index, boolean milestone, UnaryOperator<ImageProgress> step) {
        synchronized (this) {
            state.set(index, step.apply(state.get(index)));
        }
        report(milestone, false);
    }

    private void report(boolean milestone, boolean finished) {
        List<ImageProgress> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(state);
        }
        progress.report(snapshot, milestone, finished);
    }
}
