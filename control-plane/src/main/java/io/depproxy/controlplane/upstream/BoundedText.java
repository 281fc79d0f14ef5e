package io.depproxy.controlplane.upstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Call;
import okio.BufferedSource;

/**
 * An upstream body read as it streams and never past its cap: at most one 8 KiB read beyond it is held, whatever the
 * upstream sends (a chunked body has no length to check first). Past the cap the call is cancelled, which closes its
 * connection, so the upstream sees the read stop.
 */
final class BoundedText {
    private BoundedText() {
    }

    /** The body as text, cut at {@code maxBody}; null when it is longer and {@code strict}. */
    static String read(Call call, BufferedSource source, int maxBody, boolean strict) throws IOException {
        boolean longer = source.request(maxBody + 1L);
        if (!longer) {
            return source.readString(StandardCharsets.UTF_8);
        }
        call.cancel();
        return strict ? null : source.getBuffer().readString(maxBody, StandardCharsets.UTF_8);
    }
}
