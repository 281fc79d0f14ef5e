package io.depproxy.accelerator.stream;

import java.util.List;
import java.util.Optional;
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

    /** One well-formed range: {@code first-last}, {@code first-} (last null) or the suffix {@code -length}. */
    record Spec(Long first, Long last) {
        /** The header in its plain form, the one thing passed on to object storage. */
        public String header() {
            return "bytes=" + (first == null ? "" : first) + "-" + (last == null ? "" : last);
        }

        public ByteRange against(long size) {
            if (first == null) {
                return last == 0 || size == 0 ? new Unsatisfiable() : new Part(Math.max(0, size - last), size - 1);
            }
            return first >= size ? new Unsatisfiable() : new Part(first, last == null ? size - 1 : Math.min(last, size - 1));
        }
    }

    static ByteRange of(String header, long size) {
        return parse(header).map(spec -> spec.against(size)).orElseGet(Whole::new);
    }

    /** What a request's {@code Range} headers ask: one header that {@link #parse}s, or the whole object. */
    static Optional<Spec> single(List<String> headers) {
        return headers.size() == 1 ? parse(headers.get(0)) : Optional.empty();
    }

    /**
     * The header when it is one syntactically valid byte range; empty for anything a server ignores (no header,
     * another unit, several ranges, {@code last < first}, numbers beyond a long, {@code bytes=}).
     */
    static Optional<Spec> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.replace(" ", ""));
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            Long first = m.group(1).isEmpty() ? null : Long.parseLong(m.group(1));
            Long last = m.group(2).isEmpty() ? null : Long.parseLong(m.group(2));
            return first != null && last != null && last < first ? Optional.empty()
                    : Optional.of(new Spec(first, last));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
