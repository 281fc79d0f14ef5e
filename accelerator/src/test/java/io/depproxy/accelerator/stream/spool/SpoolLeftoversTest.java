package io.depproxy.accelerator.stream.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a crashed process left in the spool directory is removed at start; the hot tier inside it is not touched. */
class SpoolLeftoversTest {
    @TempDir
    Path spoolDir;

    @Test
    void removesSpoolFilesLeftByACrashButNotTheHotTier() throws Exception {
        Path leftover = Files.writeString(spoolDir.resolve("0b7c6a1e-1f0e-4c52-9a57-6f3f3b1d2c10.spool"), "half a blob");
        Path another = Files.writeString(spoolDir.resolve("5d1e4d0a-7a5b-4c1e-8f77-2f6b0f1c9e21.spool"), "");
        Path hot = Files.createDirectories(spoolDir.resolve("hot"));
        Path hotBlob = Files.writeString(hot.resolve("sha256-abc"), "verified blob");
        Path hotTemporary = Files.writeString(Files.createDirectories(hot.resolve("tmp")).resolve("x.spool"), "fill");
        Path unrelated = Files.writeString(spoolDir.resolve("notes.txt"), "not ours");

        int removed = Spool.removeLeftovers(spoolDir);

        assertThat(removed).isEqualTo(2);
        assertThat(leftover).doesNotExist();
        assertThat(another).doesNotExist();
        assertThat(hotBlob).exists();
        assertThat(hotTemporary).exists();
        assertThat(unrelated).exists();
    }

    @Test
    void removesNothingWhileAnotherAcceleratorHoldsTheDirectory() throws Exception {
        assertThat(Spool.removeLeftovers(spoolDir)).isZero();
        Path live = Files.writeString(spoolDir.resolve("9c2f6f4e-0d3b-4f5a-8e1c-7b6a5d4c3b2a.spool"), "being written");

        int removed = Spool.removeLeftovers(spoolDir);

        assertThat(removed).isEqualTo(-1);
        assertThat(live).exists();
    }
}
