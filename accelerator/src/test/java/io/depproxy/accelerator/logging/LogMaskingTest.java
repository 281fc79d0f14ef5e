package io.depproxy.accelerator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.accelerator.edge.AccessLog;
import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Drives requests that carry and cause secrets, and reads the JSON lines the production encoder writes. */
class LogMaskingTest extends AcceleratorTestBase {
    private static final List<String> SECRETS = List.of("querysecret", "clientbearer123", "privatetoken42",
            "storagesig", "upstreamsig", "leakedbearer99", "leakedsig");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private OutputStreamAppender<ILoggingEvent> appender;
    private Level accessLogLevel;

    @BeforeEach
    void captureLogs() {
        JsonLogEncoder encoder = new JsonLogEncoder();
        encoder.setContext(context);
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(captured);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        accessLogLevel = context.getLogger(AccessLog.class).getLevel();
        context.getLogger(AccessLog.class).setLevel(Level.INFO);
    }

    @AfterEach
    void releaseLogs() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        context.getLogger(AccessLog.class).setLevel(accessLogLevel);
        appender.stop();
    }

    @Test
    void noLogLineCarriesASignatureOrAToken() throws IOException {
        String hitPath = GROUP_PATH + "/blobs/sha256:" + "a".repeat(64);
        controlPlane.inject(hitPath, SendUrl.proxy(store.url("missing", "X-Amz-Signature=storagesig"),
                HeaderMap.empty()));
        Buffer bytes = randomBytes(1024 * 1024, 5);
        String digest = digestOf(bytes);
        upstream.serve("/short", FakeUpstream.shortBody(bytes.slice(0, 600_000), bytes.length()));
        controlPlane.inject(blobPath(digest), blobMiss("/short?X-Amz-Signature=upstreamsig", digest, null));

        ClientResponse hit = get(hitPath + "?token=querysecret", "Authorization", "Bearer clientbearer123",
                "PRIVATE-TOKEN", "privatetoken42", "X-Request-Id", "req-hit");
        ClientResponse miss = get(blobPath(digest), "X-Request-Id", "req-miss");
        LoggerFactory.getLogger("careless").atError()
                .setCause(new IllegalStateException("Authorization: Bearer leakedbearer99"))
                .log("storage refused http://s3/b/k?X-Amz-Signature=leakedsig");
        Await.await("the failed download is logged").until(() -> text().contains("download of"));

        assertThat(hit.status()).isEqualTo(404);
        assertThat(miss.completeOk()).isFalse();
        String text = text();
        assertThat(text).doesNotContain(SECRETS);
        List<JsonNode> lines = lines();
        assertThat(lines).filteredOn(line -> line.path("mdc").path("request_id").asText().equals("req-hit"))
                .extracting(line -> line.path("mdc").path("path").asText())
                .contains(hitPath + "?[masked]");
        assertThat(lines).filteredOn(line -> line.path("mdc").path("request_id").asText().equals("req-miss"))
                .extracting(line -> line.path("message").asText())
                .anyMatch(message -> message.startsWith("download of") && message.contains("/short?[masked]"));
    }

    private String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    private List<JsonNode> lines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }
}
