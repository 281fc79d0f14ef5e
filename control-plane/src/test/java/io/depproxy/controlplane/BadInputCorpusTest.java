package io.depproxy.controlplane;

import static io.depproxy.controlplane.support.TestApi.adminToken;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.internalJwt;
import static io.depproxy.controlplane.support.TestApi.registryToken;
import static io.depproxy.controlplane.support.TestApi.rootRegistryToken;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.auth.InternalJwt;
import io.depproxy.contracts.auth.InternalSecret;
import io.depproxy.contracts.upload.FinalizeForm;
import io.depproxy.contracts.upload.UploadedFile;
import io.depproxy.controlplane.access.RegistryKeys;
import io.depproxy.controlplane.storage.ObjectKeys;
import io.depproxy.controlplane.storage.ObjectListing;
import io.depproxy.controlplane.support.AdminApi;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.depproxy.controlplane.support.ForgedRegistryTokens;
import io.depproxy.controlplane.support.TestApi;
import io.depproxy.controlplane.support.TestSql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and mistaken input on every kind of control-plane route, through its HTTP port: names, digests,
 * references, encodings, forged and confused tokens, cross-group tokens, huge bodies, out-of-range numbers, wrong
 * JSON types, unsupported methods. Each answers a 4xx in its route's error format, and nothing is written: no row
 * created or changed, no object or multipart upload started.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
class BadInputCorpusTest {
    enum Format { REGISTRY, API }

    record Case(String name, String method, String rawPath, Map<String, String> headers, String body, int status,
                Format format) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String DIGEST = Digests.sha256("corpus".getBytes(StandardCharsets.UTF_8));
    private static final String[] CREATED_TABLES = {"namespaces", "users", "personal_access_tokens", "group_members",
        "group_deploy_tokens", "dependency_proxy_manifests", "dependency_proxy_blobs",
        "dependency_proxy_group_settings", "dependency_proxy_image_ttl_group_policies"};
    private static final String[] UPDATED_TABLES = {"namespaces", "users", "dependency_proxy_manifests",
        "dependency_proxy_blobs", "dependency_proxy_group_settings", "dependency_proxy_image_ttl_group_policies"};

    @TestHTTPResource("/")
    URL base;
    @Inject
    EntityManager em;
    @Inject
    ObjectListing listing;
    @Inject
    RegistryKeys keys;

    private static Map<String, String> fixture;
    private static long groupId;
    private static String rootToken;

    /** Created on first use: the corpus is built before the test's HTTP client is set up. */
    private Map<String, String> fixture() throws Exception {
        if (fixture != null) {
            return fixture;
        }
        String group = unique("corpus");
        groupId = createGroup(group, null);
        long otherGroupId = createGroup(unique("corpus-other"), null);
        rootToken = rootRegistryToken();
        String outsider = unique("outsider");
        String outsiderToken = registryToken(outsider,
                AdminApi.createToken(AdminApi.createUser(outsider), "read_registry"));
        JsonNode deploy = ContractJson.mapper().valueToTree(AdminApi.asAdmin().contentType("application/json")
                .body(Map.of("name", "ci", "scopes", List.of("read_registry")))
                .post("/api/v4/groups/" + otherGroupId + "/deploy_tokens").then().statusCode(201)
                .extract().as(Map.class));
        ForgedRegistryTokens forged = new ForgedRegistryTokens(keys);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("{groupId}", Long.toString(groupId));
        values.put("{group}", group);
        values.put("{root}", rootToken);
        values.put("{outsider}", outsiderToken);
        values.put("{other-groups-deploy-token}",
                registryToken(deploy.path("username").asText(), deploy.path("token").asText()));
        values.put("{alg-none}", forged.algNone());
        values.put("{hs256-public-key}", forged.hs256WithThePublicKey());
        values.put("{tampered}", forged.tampered(rootToken));
        values.put("{expired}", forged.expired());
        values.put("{foreign-key}", forged.signedByAForeignKey());
        fixture = values;
        return fixture;
    }

    private String resolve(String text) throws Exception {
        if (text == null) {
            return null;
        }
        String resolved = text;
        for (Map.Entry<String, String> value : fixture().entrySet()) {
            resolved = resolved.replace(value.getKey(), value.getValue());
        }
        return resolved.replace("{internal}", internalJwt().apiRequestToken());
    }

    static Stream<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        String group = "{group}";
        String groupId = "{groupId}";
        String containers = "/v2/" + group + "/dependency_proxy/containers/";
        String manifest = containers + "app/manifests/latest";
        String blob = containers + "app/blobs/" + DIGEST;
        Map<String, String> root = bearer("{root}");
        Registry r = (name, method, path, headers, body, status) ->
                cases.add(new Case(name, method, path, headers, body, status, Format.REGISTRY));
        Api a = (name, method, path, body, status) -> cases.add(new Case(name, method, path,
                json(adminToken()), body, status, Format.API));

        // names, digests, references, encodings
        r.add("upper-case image name", "GET", containers + "Alpine/manifests/latest", root, null, 400);
        r.add("dot-dot inside the image", "GET", containers + "a/../b/manifests/latest", root, null, 400);
        r.add("encoded slash in the image", "GET", containers + "library%2Falpine/manifests/latest", root, null, 400);
        r.add("encoded dot-dot segment", "GET", containers + "a/%2e%2e/b/manifests/latest", root, null, 400);
        r.add("double-encoded slash", "GET", containers + "a%252Fb/manifests/latest", root, null, 400);
        r.add("encoded NUL in the image", "GET", containers + "a%00b/manifests/latest", root, null, 400);
        r.add("non-ASCII image name", "GET", containers + "caf%C3%A9/manifests/latest", root, null, 400);
        r.add("image name over 255 characters", "GET", containers + "a".repeat(256) + "/manifests/latest", root,
                null, 400);
        r.add("dot-dot group segment", "GET", "/v2/" + group + "/../dependency_proxy/containers/a/manifests/1", root,
                null, 400);
        r.add("no dependency_proxy marker", "GET", "/v2/" + group + "/alpine/manifests/latest", root, null, 400);
        r.add("tags other than tags/list", "GET", containers + "app/tags/latest", root, null, 400);
        r.add("tags/list page size not a number", "GET", containers + "app/tags/list?n=abc", root, null, 400);
        r.add("tags/list page size zero", "GET", containers + "app/tags/list?n=0", root, null, 400);
        r.add("tags/list last not a tag", "GET", containers + "app/tags/list?last=-x", root, null, 400);
        r.add("blob by tag", "GET", containers + "app/blobs/latest", root, null, 400);
        r.add("short blob digest", "GET", containers + "app/blobs/sha256:abc", root, null, 400);
        r.add("upper-case hex digest", "HEAD", containers + "app/blobs/" + DIGEST.toUpperCase(), root, null, 400);
        r.add("sha512 manifest digest", "GET", containers + "app/manifests/sha512:" + "a".repeat(128), root, null,
                400);
        r.add("reference neither tag nor digest", "GET", containers + "app/manifests/.INVALID_MANIFEST_NAME", root,
                null, 404);
        r.add("tag over 128 characters", "GET", containers + "app/manifests/" + "t".repeat(129), root, null, 404);
        r.add("unknown group", "GET", "/v2/nobody-" + java.util.UUID.randomUUID() + "/dependency_proxy/containers/a/manifests/1", root,
                null, 404);
        r.add("URL of 3 KiB", "GET", containers + "app/manifests/" + "x".repeat(3 * 1024), root, null, 404);
        // tokens
        r.add("no token", "GET", manifest, Map.of(), null, 401);
        r.add("not a JWT", "GET", manifest, bearer("not.a.jwt"), null, 401);
        r.add("alg none", "GET", manifest, bearer("{alg-none}"), null, 401);
        r.add("HS256 signed with the public key", "GET", manifest, bearer("{hs256-public-key}"), null, 401);
        r.add("tampered claims", "GET", manifest, bearer("{tampered}"), null, 401);
        r.add("expired token", "GET", manifest, bearer("{expired}"), null, 401);
        r.add("signed by a foreign key", "GET", blob, bearer("{foreign-key}"), null, 401);
        r.add("HTTP Basic instead of a bearer token", "GET", manifest, basic("root", adminToken()), null, 401);
        r.add("a user's token for a group it is not in", "GET", blob, bearer("{outsider}"), null, 404);
        r.add("another group's deploy token", "GET", blob, bearer("{other-groups-deploy-token}"), null, 404);
        // unsupported methods
        r.add("POST /v2/", "POST", "/v2/", root, "", 405);
        r.add("PUT a manifest", "PUT", manifest, root, "{}", 405);
        r.add("DELETE a blob", "DELETE", blob, root, null, 405);
        r.add("start a blob upload", "POST", containers + "app/blobs/uploads/", root, "", 405);
        // the token route
        r.add("token form with a malformed escape", "POST", "/jwt/auth", form(), "grant_type=password&username=%zz", 400);
        r.add("token form with a wrong password", "POST", "/jwt/auth", form(),
                "grant_type=password&username=root&password=wrong", 401);
        r.add("token form without a grant", "POST", "/jwt/auth", form(), "username=root", 401);
        r.add("token request with Basic that is not base64", "GET", "/jwt/auth?service=dependency_proxy",
                Map.of("Authorization", "Basic !!!"), null, 401);
        r.add("token request with Basic without a colon", "GET", "/jwt/auth", Map.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("root".getBytes(StandardCharsets.UTF_8))), null, 401);
        r.add("token form of 1 MiB", "POST", "/jwt/auth", form(), "username=" + "u".repeat(1024 * 1024), 401);
        r.add("DELETE /jwt/auth", "DELETE", "/jwt/auth", Map.of(), null, 405);
        // the internal routes
        r.add("authorize without the internal JWT", "POST", manifest + "/upload/authorize", Map.of(), "", 401);
        r.add("authorize with a JWT of another secret", "POST", blob + "/upload/authorize",
                Map.of(Headers.API_REQUEST, otherSecret().apiRequestToken()), "", 401);
        r.add("authorize with a stale JWT", "POST", blob + "/upload/authorize",
                Map.of(Headers.API_REQUEST, staleJwt()), "", 401);
        r.add("authorize with a bad Upload-Length", "POST", blob + "/upload/authorize",
                internal(Map.of(Headers.UPLOAD_LENGTH, "lots")), "", 400);
        r.add("authorize with a negative Upload-Length", "POST", blob + "/upload/authorize",
                internal(Map.of(Headers.UPLOAD_LENGTH, "-1")), "", 400);
        r.add("authorize for a malformed digest", "POST", containers + "app/blobs/sha256:zz/upload/authorize",
                internal(Map.of()), "", 400);
        r.add("finalize without the internal JWT", "POST", blob + "/upload", form(), finalizeForm(blob + "/upload", internalJwt()), 401);
        r.add("finalize with a malformed form", "POST", blob + "/upload", internal(form()), "file.name=%zz", 400);
        r.add("finalize without the signed field", "POST", blob + "/upload", internal(form()),
                "file.name=upload&file.size=1", 401);
        r.add("finalize signed with another secret", "POST", blob + "/upload", internal(form()),
                finalizeForm(blob + "/upload", otherSecret()), 401);
        // the admin API
        a.add("page that is not a number", "GET", "/api/v4/groups?page=abc", null, 400);
        a.add("page beyond an int", "GET", "/api/v4/groups?page=99999999999", null, 400);
        a.add("per_page in exponent notation", "GET", "/api/v4/users?per_page=1e3", null, 400);
        a.add("ttl of 2500000 days", "PUT", "/api/v4/groups/" + groupId + "/dependency_proxy/ttl_policy",
                "{\"enabled\":true,\"ttl\":2500000}", 422);
        a.add("ttl as a word", "PUT", "/api/v4/groups/" + groupId + "/dependency_proxy/ttl_policy",
                "{\"ttl\":\"ninety\"}", 400);
        a.add("ttl as an object", "PUT", "/api/v4/groups/" + groupId + "/dependency_proxy/ttl_policy",
                "{\"ttl\":{\"days\":3}}", 400);
        a.add("negative revalidation window", "PUT", "/api/v4/groups/" + groupId + "/dependency_proxy/settings",
                "{\"manifest_revalidate_after\":-1}", 422);
        a.add("revalidation window beyond an int", "PUT", "/api/v4/groups/" + groupId
                + "/dependency_proxy/settings", "{\"manifest_revalidate_after\":4294967296}", 400);
        a.add("enabled that is not a boolean", "PUT", "/api/v4/groups/" + groupId + "/dependency_proxy/settings",
                "{\"enabled\":\"perhaps\"}", 400);
        a.add("access level that GitLab does not have", "POST", "/api/v4/groups/" + groupId + "/members",
                "{\"user_id\":1,\"access_level\":15}", 422);
        a.add("access level as a word", "POST", "/api/v4/groups/" + groupId + "/members",
                "{\"user_id\":1,\"access_level\":\"owner\"}", 400);
        a.add("user id beyond a long", "POST", "/api/v4/groups/" + groupId + "/members",
                "{\"user_id\":99999999999999999999,\"access_level\":30}", 400);
        a.add("member id beyond a long", "GET", "/api/v4/groups/" + groupId + "/members/99999999999999999999",
                null, 404);
        a.add("group id beyond a long", "GET", "/api/v4/groups/99999999999999999999999", null, 404);
        a.add("expiry in the year 999999999", "POST", "/api/v4/groups/" + groupId + "/deploy_tokens",
                "{\"name\":\"t\",\"scopes\":[\"read_registry\"],\"expires_at\":\"+999999999-12-31T23:59:59Z\"}", 422);
        a.add("expiry that is not a date", "POST", "/api/v4/groups/" + groupId + "/deploy_tokens",
                "{\"name\":\"t\",\"scopes\":[\"read_registry\"],\"expires_at\":\"tomorrow\"}", 400);
        a.add("body that is a JSON array", "POST", "/api/v4/groups", "[1,2,3]", 400);
        a.add("body that is not JSON", "POST", "/api/v4/groups", "{\"name\":", 400);
        a.add("group name as an object", "POST", "/api/v4/groups", "{\"name\":{\"x\":1},\"path\":\"p\"}", 400);
        a.add("unsupported method on groups", "PATCH", "/api/v4/groups", "{}", 405);
        cases.add(new Case("form body with a malformed escape", "POST", "/api/v4/groups", Map.of("PRIVATE-TOKEN",
                adminToken(), "Content-Type", "application/x-www-form-urlencoded"), "name=%zz&path=x", 400, Format.API));
        cases.add(new Case("admin API without a token", "GET", "/api/v4/groups", Map.of(), null, 401, Format.API));
        cases.add(new Case("admin API with a made-up token", "POST", "/api/v4/groups", json("glpat-made-up"),
                "{\"name\":\"x\",\"path\":\"x\"}", 401, Format.API));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void answersA4xxInTheRoutesFormatAndWritesNothing(Case c) throws Exception {
        fixture();
        Instant start = dbNow();
        HttpResponse<byte[]> response = send(c);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as("%s: %s", c.name(), body).isEqualTo(c.status());
        if (!c.method().equals("HEAD")) {
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            JsonNode json = ContractJson.mapper().readTree(body);
            if (c.format() == Format.REGISTRY) {
                assertThat(json.at("/errors/0/code").asText()).as(body).isNotEmpty();
                assertThat(json.at("/errors/0/message").isTextual()).as(body).isTrue();
            } else {
                assertThat(json.path("message").asText()).as(body).startsWith(c.status() + " ");
            }
        }
        assertThat(writtenSince(start)).as("written by %s", c.name()).isEmpty();
    }

    private HttpResponse<byte[]> send(Case c) throws Exception {
        HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(resolve(c.body()));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "")
                + resolve(c.rawPath()))).version(HttpClient.Version.HTTP_1_1).timeout(Duration.ofSeconds(30))
                .method(c.method(), body);
        for (Map.Entry<String, String> header : c.headers().entrySet()) {
            request.header(header.getKey(), resolve(header.getValue()));
        }
        return TestApi.send(request);
    }

    /** Rows created or changed, and objects or multipart uploads started, since {@code start}. */
    private List<String> writtenSince(Instant start) {
        List<String> written = new ArrayList<>();
        rowsSince("created_at", CREATED_TABLES, start, "new", written);
        rowsSince("updated_at", UPDATED_TABLES, start, "changed", written);
        Instant objectsSince = start.minusSeconds(1);
        AtomicInteger objects = new AtomicInteger();
        for (String prefix : List.of(ObjectKeys.TEMPORARY_PREFIX, "dependency_proxy/" + groupId + "/")) {
            listing.forEachObject(prefix, o -> objects.addAndGet(o.lastModified().isAfter(objectsSince) ? 1 : 0));
            listing.forEachMultipartUpload(prefix,
                    o -> objects.addAndGet(o.lastModified().isAfter(objectsSince) ? 1 : 0));
        }
        if (objects.get() > 0) {
            written.add(objects.get() + " new objects or uploads");
        }
        return written;
    }

    private void rowsSince(String column, String[] tables, Instant start, String what, List<String> written) {
        for (String table : tables) {
            long rows = TestSql.count(em, "SELECT count(*) FROM " + table + " WHERE " + column + " >= ?1", start);
            if (rows > 0) {
                written.add(rows + " " + what + " rows in " + table);
            }
        }
    }

    private Instant dbNow() {
        List<Object> now = TestSql.list(em, "SELECT now()");
        Object value = now.get(0);
        return value instanceof Instant instant ? instant : ((java.time.OffsetDateTime) value).toInstant();
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static Map<String, String> basic(String username, String password) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> json(String privateToken) {
        return Map.of("PRIVATE-TOKEN", privateToken, "Content-Type", "application/json");
    }

    private static Map<String, String> form() {
        return Map.of("Content-Type", "application/x-www-form-urlencoded");
    }

    private static Map<String, String> internal(Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(Headers.API_REQUEST, "{internal}");
        return all;
    }

    private static InternalJwt otherSecret() {
        byte[] other = new byte[InternalSecret.LENGTH];
        java.util.Arrays.fill(other, (byte) 7);
        return new InternalJwt(InternalSecret.fromBase64(Base64.getEncoder().encodeToString(other)));
    }

    private static String staleJwt() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        return new InternalJwt(io.depproxy.contracts.Golden.secret(), past).apiRequestToken();
    }

    /** A well-formed form signed for {@code route}: only the signer's secret makes it wrong. */
    private static String finalizeForm(String route, InternalJwt signer) {
        return FinalizeForm.encode(new UploadedFile("upload", 6, Digests.hexOf(DIGEST), "corpus-upload", null),
                route, TestApi.UPLOAD_GRACE, signer);
    }

    @FunctionalInterface
    private interface Registry {
        void add(String name, String method, String path, Map<String, String> headers, String body, int status);
    }

    @FunctionalInterface
    private interface Api {
        void add(String name, String method, String path, String body, int status);
    }
}
