package io.depproxy.controlplane.prefetch;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.controlplane.error.ApiException;
import java.util.regex.Pattern;

/** A platform of an image index, {@code os/architecture[/variant]} as clients write it ({@code linux/arm64/v8}). */
public record Platform(String os, String architecture, String variant) {
    private static final Pattern PART = Pattern.compile("[a-z0-9._-]{1,32}");

    public static Platform parse(String text) {
        String[] parts = text.trim().split("/", -1);
        if (parts.length < 2 || parts.length > 3 || !allParts(parts)) {
            throw ApiException.badRequest("platforms: expected os/architecture[/variant], got " + text);
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** Whether an index entry's {@code platform} object is this one (no variant asked: any variant). */
    boolean matches(JsonNode platform) {
        return os.equals(platform.path("os").asText()) && architecture.equals(platform.path("architecture").asText())
                && (variant == null || variant.equals(platform.path("variant").asText()));
    }

    /** Attestation and signature entries of an index (BuildKit writes them as {@code unknown/unknown}). */
    static boolean isPlaceholder(JsonNode platform) {
        return "unknown".equals(platform.path("os").asText());
    }

    private static boolean allParts(String[] parts) {
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
