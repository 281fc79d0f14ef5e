package io.depproxy.controlplane.policy;

import java.util.regex.Pattern;

/**
 * A name pattern of a pull policy rule: {@code *} matches any run of characters (slashes included, so
 * {@code library/*} covers {@code library/nginx} and {@code library/a/b}), {@code ?} exactly one; every other
 * character stands for itself. A pattern may use only the characters the name it matches can have, so a typo such as
 * {@code library/[ab]*} is refused when written instead of never matching.
 */
public record Glob(String text, Pattern compiled) {
    /** Longest pattern a rule may hold. */
    public static final int MAX_LENGTH = 255;

    /** What a pattern is made of: the characters of a name of its field, {@code *} and {@code ?}. */
    public enum Field {
        UPSTREAM("[a-z0-9.:*?-]+", "lowercase letters, digits, '.', ':', '-'"),
        IMAGE("[a-z0-9._/*?-]+", "lowercase letters, digits, '.', '_', '-', '/'"),
        TAG("[A-Za-z0-9._*?-]+", "letters, digits, '.', '_', '-'");

        private final Pattern allowed;
        private final String described;

        Field(String allowed, String described) {
            this.allowed = Pattern.compile(allowed);
            this.described = described;
        }
    }

    /** The pattern {@code text}; {@link IllegalArgumentException} with a client's message when it is not one. */
    public static Glob parse(String text, Field field, String name) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(name + " is longer than " + MAX_LENGTH + " characters");
        }
        if (!field.allowed.matcher(text).matches()) {
            throw new IllegalArgumentException(name + " \"" + printable(text) + "\" is not a pattern: it may hold "
                    + field.described + ", '*' (any run of characters) and '?' (one character)");
        }
        StringBuilder regex = new StringBuilder(text.length() + 8);
        StringBuilder literal = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return new Glob(text, Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    public boolean matches(String value) {
        return value != null && compiled.matcher(value).matches();
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return cut.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
    }

    @Override
    public String toString() {
        return text;
    }
}
