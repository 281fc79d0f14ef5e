package io.depproxy.accelerator.stream.spool;

import java.nio.file.Path;

/** The entry was released and its file deleted before a reader could open it. */
public final class SpoolEntryGoneException extends RuntimeException {
    public SpoolEntryGoneException(Path file) {
        super("spool entry " + file.getFileName() + " is gone");
    }
}
