package io.depproxy.accelerator.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code Range} request header asks of an object of known size (RFC 9110 §14): the whole object (no header,
 * several ranges, or a header we do not understand: all may be answered with 200), one satisfiable range (206), or
 * nothing satisfiable (416).
 */
public sealed interface ByteRange permits ByteRange.Whole, ByteRange.Part, ByteRange.Unsatisfiable {
    Pattern SINGLE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    record Whole() implements ByteRange {
    }

    /** Bytes {@code first} to {@code last}, both inclusive. */
    record Part(long first, long last) implements ByteRange {
        public long length() {
            return last - first + 1;
        }

        public String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    record Unsatisfiable() implements ByteRange {
        public String contentRange(long size) {
            return "bytes */" + size;
        }
    }

    static ByteRange of(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        Matcher m = SINGLE.matcher(header.replace(" ", ""));
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return new Whole();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                return suffix == 0 || size == 0 ? new Unsatisfiable() : new Part(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
                return new Whole();
            }
            return first >= size ? new Unsatisfiable() : new Part(first, last);
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }
}
