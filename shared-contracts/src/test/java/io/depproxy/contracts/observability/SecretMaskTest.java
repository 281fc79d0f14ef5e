package io.depproxy.contracts.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SecretMaskTest {
    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyb290In0.c2lnbmF0dXJlLXNlY3JldA";

    record Case(String name, String text, String secret) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("presigned URL", "GET http://s3:9000/b/k?X-Amz-Algorithm=AWS4&X-Amz-Signature=deadbeef42 failed",
                        "deadbeef42"),
                new Case("signature outside a query", "params X-Amz-Signature=deadbeef42", "deadbeef42"),
                new Case("authorization header", "headers {Authorization=[Bearer opaque-token-1234]}", "opaque-token-1234"),
                new Case("authorization as JSON", "{\"Authorization\":[\"Basic dXNlcjpzZWNyZXQ=\"]}", "dXNlcjpzZWNyZXQ="),
                new Case("private token header", "PRIVATE-TOKEN: s3cr3t-value", "s3cr3t-value"),
                new Case("bare bearer credential", "sent Bearer abcdefgh12345678 upstream", "abcdefgh12345678"),
                new Case("JWT anywhere", "token " + JWT + " rejected", "c2lnbmF0dXJlLXNlY3JldA"),
                new Case("personal access token", "root uses dpat-e2e-admin-token-0123456789", "admin-token-0123456789"),
                new Case("gitlab style token", "glpat-AbCdEfGhIjKlMnOpQrStUvWx", "AbCdEfGhIjKlMnOpQrStUvWx"),
                new Case("secret setting", "DP_S3_SECRET_KEY=hunter2hunter2", "hunter2hunter2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void removesTheSecret(Case c) {
        String masked = SecretMask.mask(c.text());

        assertThat(masked).doesNotContain(c.secret()).contains(SecretMask.MASK);
    }

    @Test
    void keepsTheShapeOfAMaskedUrl() {
        assertThat(SecretMask.mask("GET /v2/a/blobs/sha256:ab?token=x HTTP/1.1"))
                .isEqualTo("GET /v2/a/blobs/sha256:ab?[masked] HTTP/1.1");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "DP_INTERNAL_SECRET is not set: is it a question? yes. Basic realm=\"x\" sha256:abcdef";

        assertThat(SecretMask.mask(text)).isEqualTo(text);
    }

    @Test
    void isIdempotent() {
        String once = SecretMask.mask("Authorization: Bearer abcdefgh12345678 at http://h/p?sig=1");

        assertThat(SecretMask.mask(once)).isEqualTo(once);
    }
}
