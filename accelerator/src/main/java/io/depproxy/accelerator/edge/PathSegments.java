package io.depproxy.accelerator.edge;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Checks on the segments of a raw (still percent-encoded) request path. */
final class PathSegments {
    private PathSegments() {
    }

    /** The segments after the leading slash; {@code "/a//b/"} is {@code [a, "", b, ""]}. */
    static List<String> of(String rawPath) {
        return List.of(rawPath.substring(1).split("/", -1));
    }

    /**
     * A character no client path needs and that parsers disagree about: backslash, controls, NUL, DEL, and ';'
     * (JAX-RS reads it as the start of matrix parameters, so {@code /v2/..;/x} would climb behind us).
     */
    static boolean hasUnsafeCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == ';' || c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** A segment that would climb or collapse when a server normalises the path. */
    static boolean isDotOrEmpty(String segment) {
        return segment.isEmpty() || segment.equals(".") || segment.equals("..");
    }

    /** The segment percent-decoded as strict UTF-8, or empty when an escape is malformed or not UTF-8. */
    static Optional<String> decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return Optional.of(segment);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= segment.length() || hex(segment.charAt(i + 1)) < 0 || hex(segment.charAt(i + 2)) < 0) {
                return Optional.empty();
            }
            bytes.write(hex(segment.charAt(i + 1)) * 16 + hex(segment.charAt(i + 2)));
            i += 2;
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
