package io.depproxy.contracts.observability;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text on its way to a log line: query strings (presigned URLs carry their signature
 * there), {@code Authorization}/{@code PRIVATE-TOKEN}-style {@code name: value} pairs, bearer and basic
 * credentials, JWTs and personal access tokens. Both services run every log line through it, so a secret that a
 * message or an exception happens to contain is masked even where the code that logged it forgot to.
 */
public final class SecretMask {
    public static final String MASK = "[masked]";

    private record Rule(Pattern pattern, String replacement) {
    }

    /** Header, parameter and setting names whose value is a credential ({@code name: value} or {@code name=value}). */
    private static final String SECRET_NAMES = "authorization|proxy-authorization|private-token|job-token"
            + "|deploy-token|x-amz-signature|x-amz-credential|x-amz-security-token|password|passwd|secret"
            + "|secret[_-]?key|access[_-]?key|client[_-]?secret";

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"), MASK),
            new Rule(Pattern.compile("\\?(?=[^\\s\"'<>\\[])[^\\s\"'<>]+"), "?" + MASK),
            new Rule(Pattern.compile("(?i)(?<![A-Za-z0-9])(" + SECRET_NAMES + ")(\"?\\s*[:=]\\s*\\[?\\s*\"?)"
                    + "((?:bearer|basic)\\s+)?+(?!\\[masked])[^\\s\"',;&\\]}]+"), "$1$2$3" + MASK),
            new Rule(Pattern.compile("(?i)\\b(bearer|basic)\\s+(?!\\[masked])[A-Za-z0-9._~+/=-]{8,}"), "$1 " + MASK),
            new Rule(Pattern.compile("\\b(glpat|gldt|dpat|dpdt)-[A-Za-z0-9_-]{8,}"), "$1-" + MASK));

    private SecretMask() {
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (Rule rule : RULES) {
            Matcher matcher = rule.pattern().matcher(masked);
            if (matcher.find()) {
                masked = matcher.replaceAll(rule.replacement());
            }
        }
        return masked;
    }
}
