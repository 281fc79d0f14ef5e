package io.depproxy.accelerator.hot;

import io.depproxy.contracts.Digests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the hot tier does with the files a previous run left: half-written ones (in {@code tmp/}) are deleted; every
 * other file is hashed again, oldest first, on one worker thread of its own (so pulls keep the shared pool), and is
 * admitted only if its bytes hash to its name. Anything else (a bad name, a failed check, a file that changed while
 * it was checked) is deleted.
 */
final class HotRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(HotRecovery.class);
    private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");
    private static final int READ_BUFFER = 1024 * 1024;

    private HotRecovery() {
    }

    static void emptyTemporary(Path temporary) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(temporary)) {
            for (Path file : leftovers) {
                Files.deleteIfExists(file);
            }
        }
    }

    static Future<Void> verifyAll(Vertx vertx, Path files, Consumer<HotFile> admit) {
        WorkerExecutor worker = vertx.createSharedWorkerExecutor("dp-hot-tier-recovery", 1);
        return worker.executeBlocking(() -> {
            int[] counts = new int[2];
            for (Path file : oldestFirst(files)) {
                HotFile verified = verify(file);
                if (verified != null) {
                    admit.accept(verified);
                    counts[0]++;
                } else {
                    Files.deleteIfExists(file);
                    counts[1]++;
                }
            }
            if (counts[0] + counts[1] > 0) {
                LOG.info("hot tier: {} files verified and kept, {} deleted", counts[0], counts[1]);
            }
            return (Void) null;
        }, false).onFailure(err -> LOG.warn("hot tier: checking the files of the last run failed: {}", err.toString()))
                .recover(err -> Future.succeededFuture())
                .eventually(worker::close);
    }

    private static List<Path> oldestFirst(Path files) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(files)) {
            entries.forEach(found::add);
        }
        found.sort(Comparator.comparingLong(HotRecovery::lastModified));
        return found;
    }

    /** The file as a {@link HotFile} if its content hashes to its name and it did not change meanwhile; else null. */
    static HotFile verify(Path file) {
        String name = file.getFileName().toString();
        try {
            if (!HEX.matcher(name).matches() || !Files.isRegularFile(file)) {
                return null;
            }
            long modified = Files.getLastModifiedTime(file).toMillis();
            long size = Files.size(file);
            MessageDigest sha256 = Digests.newSha256();
            byte[] buffer = new byte[READ_BUFFER];
            long read = 0;
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha256.update(buffer, 0, n);
                    read += n;
                }
            }
            boolean unchanged = read == size && Files.size(file) == size
                    && Files.getLastModifiedTime(file).toMillis() == modified;
            if (!unchanged || !HexFormat.of().formatHex(sha256.digest()).equals(name)) {
                return null;
            }
            return new HotFile("sha256:" + name, file, size, modified);
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs on the recovery worker: a file that no longer fits is deleted at once. */
    static void deleteQuietly(HotFile file) {
        try {
            Files.deleteIfExists(file.path());
        } catch (IOException e) {
            LOG.warn("hot tier: could not delete {}: {}", file.path(), e.toString());
        }
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
