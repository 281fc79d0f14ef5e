package io.depproxy.controlplane.registry;

import io.depproxy.contracts.Digests;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.controlplane.error.RegistryException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed {@code /v2/<group path>/dependency_proxy/containers/<image>/(manifests|blobs)/<reference>} path, or a
 * {@code …/<image>/tags/list} (kind {@code TAGS}, reference {@code list}), or a {@code …/<image>/referrers/<digest>}
 * (kind {@code REFERRERS}, the subject's digest).
 * {@code path} is the canonical (decoded) request path without any {@code /upload…} suffix.
 */
public record RegistryRequest(String groupPath, String image, Kind kind, String reference, String path) {
    private static final String PREFIX = "/v2/";
    /** What separates a group's path from the image in every registry path and repository name of this registry. */
    public static final String MARKER = "/dependency_proxy/containers/";
    private static final Pattern GROUP_SEGMENT = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final Pattern IMAGE = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    /** The OCI digest grammar ({@code algorithm:encoded}); which algorithms we take is a separate check. */
    private static final Pattern DIGEST_SHAPE = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
    private static final int MAX_IMAGE_LENGTH = 255;

    public enum Kind { MANIFEST, BLOB, TAGS, REFERRERS }

    /** True when the reference is a digest (always for blobs). */
    public boolean byDigest() {
        return kind == Kind.BLOB || Digests.isSha256(reference);
    }

    /**
     * Parses a raw (undecoded) request path; 400 NAME_INVALID or DIGEST_INVALID when it does not fit the grammar.
     * Encoded slashes are rejected; other percent-encodings (a client may write {@code sha256%3A…}) are decoded
     * before the grammar is checked. {@code path} is the decoded (canonical) form, which only has grammar characters.
     */
    public static RegistryRequest parse(String rawPath) {
        if (rawPath == null || !rawPath.startsWith(PREFIX) || rawPath.toLowerCase(Locale.ROOT).contains("%2f")) {
            throw RegistryException.nameInvalid("invalid repository path");
        }
        String decoded = percentDecode(rawPath);
        int marker = decoded.indexOf(MARKER);
        if (marker <= PREFIX.length() - 1) {
            throw RegistryException.nameInvalid("path must be /v2/<group>/dependency_proxy/containers/<image>/…");
        }
        String groupPath = decoded.substring(PREFIX.length(), marker);
        String[] rest = decoded.substring(marker + MARKER.length()).split("/", -1);
        if (!validGroupPath(groupPath) || rest.length < 3) {
            throw RegistryException.nameInvalid("invalid group path or repository path");
        }
        String reference = rest[rest.length - 1];
        String kindSegment = rest[rest.length - 2];
        String image = String.join("/", Arrays.copyOf(rest, rest.length - 2));
        if (image.length() > MAX_IMAGE_LENGTH || !IMAGE.matcher(image).matches()) {
            throw RegistryException.nameInvalid("invalid image name");
        }
        Kind kind = switch (kindSegment) {
            case "manifests" -> Kind.MANIFEST;
            case "blobs" -> Kind.BLOB;
            case "tags" -> Kind.TAGS;
            case "referrers" -> Kind.REFERRERS;
            default -> throw RegistryException.nameInvalid("expected manifests, blobs, tags/list or referrers");
        };
        if (kind == Kind.TAGS) {
            if (!reference.equals("list")) {
                throw RegistryException.nameInvalid("expected tags/list");
            }
        } else if (kind == Kind.REFERRERS) {
            if (!Digests.isSha256(reference)) {
                throw RegistryException.digestInvalid("referrers: the subject must be sha256:<64 lowercase hex>");
            }
        } else {
            validateReference(kind, reference);
        }
        String canonical = PREFIX + groupPath + MARKER + image + "/" + kindSegment + "/" + reference;
        return new RegistryRequest(groupPath, image, kind, reference, canonical);
    }

    /** Parses an internal upload path: {@code <registry path><suffix>} of a manifest or blob. */
    public static RegistryRequest parse(String rawPath, String suffix) {
        if (rawPath == null || !rawPath.endsWith(suffix)) {
            throw RegistryException.nameInvalid("invalid upload path");
        }
        RegistryRequest request = parse(rawPath.substring(0, rawPath.length() - suffix.length()));
        if (request.kind() == Kind.TAGS || request.kind() == Kind.REFERRERS) {
            throw RegistryException.nameInvalid("a tag list or referrers index is never uploaded");
        }
        return request;
    }

    /** The raw path of {@code groupPath}'s request for {@code rest} ({@code <image>/manifests/<reference>}, …). */
    public static String groupPath(String groupPath, String rest) {
        return PREFIX + groupPath + MARKER + rest;
    }

    /** The group of a repository name on this registry ({@code <group>/dependency_proxy/containers/<image>}). */
    public static Optional<String> groupOfRepository(String repository) {
        int marker = repository.indexOf(MARKER);
        return marker > 0 ? Optional.of(repository.substring(0, marker)) : Optional.empty();
    }

    /** The repository's path on this registry ({@code /v2/<group>/dependency_proxy/containers/<image>}). */
    public String repositoryPath() {
        return PREFIX + groupPath + MARKER + image;
    }

    private static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.write(c < 0x80 ? c : '?');
                continue;
            }
            if (i + 2 >= raw.length() || !HexFormat.isHexDigit(raw.charAt(i + 1))
                    || !HexFormat.isHexDigit(raw.charAt(i + 2))) {
                throw RegistryException.nameInvalid("invalid percent-encoding");
            }
            bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static boolean validGroupPath(String groupPath) {
        if (groupPath.isEmpty()) {
            return false;
        }
        for (String segment : groupPath.split("/", -1)) {
            if (!GROUP_SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * A blob reference must be a sha256 digest (400 DIGEST_INVALID). A manifest reference that has a digest's shape
     * must be a sha256 digest too; one that is neither a tag nor a digest names no manifest: 404 MANIFEST_UNKNOWN,
     * as CNCF distribution and the OCI conformance suite answer.
     */
    private static void validateReference(Kind kind, String reference) {
        if (kind == Kind.BLOB || DIGEST_SHAPE.matcher(reference).matches()) {
            if (!Digests.isSha256(reference)) {
                throw RegistryException.digestInvalid("digest must be sha256:<64 lowercase hex>");
            }
            return;
        }
        if (!TAG.matcher(reference).matches()) {
            throw new RegistryException(RegistryErrorCode.MANIFEST_UNKNOWN, "the reference is neither a tag nor a digest");
        }
    }
}
