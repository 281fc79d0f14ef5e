package io.depproxy.controlplane.upstream;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The upstream's {@code WWW-Authenticate} answer to {@code GET /v2/}: Bearer (token realm), Basic, or none. */
public record AuthChallenge(Scheme scheme, String realm, String service) {
    private static final Pattern PARAM = Pattern.compile("([A-Za-z_]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s,]+))");

    public enum Scheme { NONE, BASIC, BEARER }

    public static final AuthChallenge NONE = new AuthChallenge(Scheme.NONE, null, null);

    /** Parses one header value; the first Bearer challenge wins over Basic. */
    public static AuthChallenge parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String trimmed = header.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        int bearer = lower.indexOf("bearer ");
        if (bearer >= 0) {
            Map<String, String> params = params(trimmed.substring(bearer + 7));
            String realm = params.get("realm");
            if (realm != null && !realm.isBlank()) {
                return new AuthChallenge(Scheme.BEARER, realm, params.get("service"));
            }
        }
        if (lower.startsWith("basic")) {
            return new AuthChallenge(Scheme.BASIC, params(trimmed.substring(5)).get("realm"), null);
        }
        return NONE;
    }

    private static Map<String, String> params(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher matcher = PARAM.matcher(text);
        while (matcher.find()) {
            String value = matcher.group(2) != null ? matcher.group(2).replaceAll("\\\\(.)", "$1") : matcher.group(3);
            params.putIfAbsent(matcher.group(1).toLowerCase(Locale.ROOT), value);
        }
        return params;
    }
}
