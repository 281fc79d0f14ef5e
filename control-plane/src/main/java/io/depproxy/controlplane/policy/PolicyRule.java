package io.depproxy.controlplane.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * One rule of a pull policy: {@code action} for pulls from an upstream whose name matches {@code upstream} of a
 * repository (its name on that upstream) matching {@code image}; with a {@code tag} pattern, only for pulls of a tag
 * matching it (a pull by digest, a blob or a tag list has no tag, so such a rule never matches it).
 */
public record PolicyRule(Action action, Glob upstream, Glob image, Glob tag) {

    public enum Action {
        ALLOW, DENY;

        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Action> parse(String value) {
            for (Action action : values()) {
                if (value != null && action.apiName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return Optional.of(action);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The rule as an API client writes it; {@code upstream} null or empty means {@code *}, {@code tag} null or empty
     * means any tag (and no tag). {@link IllegalArgumentException} with a client's message when malformed.
     */
    public static PolicyRule of(String action, String upstream, String image, String tag) {
        Action parsed = parse(action);
        Glob upstreamGlob = Glob.parse(upstream == null || upstream.isEmpty() ? "*" : upstream.trim(),
                Glob.Field.UPSTREAM, "upstream");
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("image is missing (\"*\" for every image)");
        }
        Glob imageGlob = Glob.parse(image.trim(), Glob.Field.IMAGE, "image");
        Glob tagGlob = tag == null || tag.isBlank() ? null : Glob.parse(tag.trim(), Glob.Field.TAG, "tag");
        return new PolicyRule(parsed, upstreamGlob, imageGlob, tagGlob);
    }

    private static Action parse(String action) {
        return Action.parse(action).orElseThrow(() -> new IllegalArgumentException(
                "action must be allow or deny" + (action == null ? "" : ", not \"" + shortened(action) + "\"")));
    }

    /** Whether the rule applies to a pull of {@code image} ({@code tagOrNull}: null when not by tag). */
    public boolean matches(String upstreamName, String image, String tagOrNull) {
        return upstream.matches(upstreamName.toLowerCase(Locale.ROOT)) && this.image.matches(image)
                && (tag == null || tag.matches(tagOrNull));
    }

    /** {@code deny image "*" tag "latest"} (the upstream only when it is not {@code *}): what messages quote. */
    public String describe() {
        StringBuilder text = new StringBuilder(action.apiName());
        if (!upstream.text().equals("*")) {
            text.append(" upstream \"").append(upstream.text()).append('"');
        }
        text.append(" image \"").append(image.text()).append('"');
        if (tag != null) {
            text.append(" tag \"").append(tag.text()).append('"');
        }
        return text.toString();
    }

    public String tagText() {
        return tag == null ? null : tag.text();
    }

    private static String shortened(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return cut.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
    }
}
