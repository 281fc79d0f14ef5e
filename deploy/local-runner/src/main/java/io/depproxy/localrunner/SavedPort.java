package io.depproxy.localrunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A port remembered in a file so a restart of the runner reuses it (unless something else holds it by then). */
final class SavedPort {

    private SavedPort() {
    }

    /** The saved port if it is still free on 127.0.0.1, otherwise a new free one. */
    static int reuseOrPick(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                int saved = Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim());
                if (saved > 0 && saved < 65536 && FreePorts.isFree(saved)) {
                    return saved;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unreadable: pick a new one and overwrite it
        }
        return FreePorts.pick();
    }

    static void save(Path file, int port) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Integer.toString(port) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
