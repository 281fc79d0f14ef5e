package io.depproxy.contracts.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.auth.InvalidTokenException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The finalize request body: an {@code application/x-www-form-urlencoded} form with {@code file.*} fields and
 * {@code file.gitlab-workhorse-upload}, an HS256 JWT over the same fields. Only the signed copy is trusted. The
 * signed copy is bound to the route it finalizes (claim {@code path}: the path of {@code UploadConfig.Url}, which
 * names the group and the digest or tag) and expires (claim {@code exp}: the upload grace plus
 * {@link #EXPIRY_MARGIN}), so it cannot be replayed for another blob, another group, or later.
 */
public final class FinalizeForm {
    public static final String FIELD = "file";
    public static final String SIGNED_FIELD = FIELD + ".gitlab-workhorse-upload";
    /** Added to the upload grace period: the finalize call's own transit and the services' clock skew. */
    public static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);
    static final String UPLOAD_CLAIM = "upload";
    static final String PATH_CLAIM = "path";

    private FinalizeForm() {
    }

    /**
     * The form finalizing {@code file} at {@code uploadUrl} (a path or an absolute URL; only its path is signed),
     * valid for {@code grace} plus {@link #EXPIRY_MARGIN}.
     */
    public static String encode(UploadedFile file, String uploadUrl, Duration grace, InternalJwt jwt) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put(FIELD + ".name", file.name());
        form.put(FIELD + ".size", Long.toString(file.size()));
        form.put(FIELD + ".sha256", file.sha256Hex());
        form.put(FIELD + ".remote_id", file.remoteId());
        if (file.remoteUrl() != null) {
            form.put(FIELD + ".remote_url", file.remoteUrl());
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(UPLOAD_CLAIM, ContractJson.mapper().valueToTree(file));
        claims.put(PATH_CLAIM, pathOf(uploadUrl));
        form.put(SIGNED_FIELD, jwt.signExpiring(claims, grace.plus(EXPIRY_MARGIN)));
        StringBuilder body = new StringBuilder();
        form.forEach((key, value) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /**
     * Verifies the signed field of a decoded form (signature, expiry, and that it was signed for
     * {@code requestPath}, the raw path the finalize request arrived on) and returns the descriptor it signs.
     */
    public static UploadedFile verify(Map<String, String> form, InternalJwt jwt, String requestPath) {
        String token = form.get(SIGNED_FIELD);
        if (token == null) {
            throw new InvalidTokenException("finalize form has no " + SIGNED_FIELD);
        }
        JsonNode claims = jwt.verifyUnexpired(token);
        JsonNode path = claims.get(PATH_CLAIM);
        if (path == null || !path.isTextual() || !path.asText().equals(requestPath)) {
            throw new InvalidTokenException("signed upload field was issued for another upload route");
        }
        JsonNode upload = claims.get(UPLOAD_CLAIM);
        if (upload == null || !upload.isObject()) {
            throw new InvalidTokenException("signed upload field has no upload claim");
        }
        try {
            return ContractJson.mapper().treeToValue(upload, UploadedFile.class);
        } catch (Exception e) {
            throw new InvalidTokenException("signed upload field is not a valid descriptor: " + e.getMessage());
        }
    }

    /** The decoded form, the last value of a repeated name winning; {@link MalformedFormException} on a bad escape. */
    public static Map<String, String> parse(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        parseAll(body).forEach((key, values) -> form.put(key, values.get(values.size() - 1)));
        return form;
    }

    /** Every value of every name, in order; {@link MalformedFormException} on a bad escape. */
    public static Map<String, List<String>> parseAll(String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            form.computeIfAbsent(decode(key), k -> new ArrayList<>()).add(decode(value));
        }
        return form;
    }

    private static String pathOf(String uploadUrl) {
        if (uploadUrl.startsWith("/")) {
            int query = uploadUrl.indexOf('?');
            return query < 0 ? uploadUrl : uploadUrl.substring(0, query);
        }
        return URI.create(uploadUrl).getRawPath();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedFormException("the form body is not URL-encoded: " + e.getMessage(), e);
        }
    }
}
