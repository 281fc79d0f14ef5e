package io.depproxy.accelerator.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** The lines {@code make run} shows a person: short, one per event, and as masked as the JSON ones. */
class TextLogEncoderTest {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger logger = context.getLogger("io.depproxy.accelerator.inject.DependencyFetch");

    @Test
    void writesTimeLevelServiceMessageAndFieldsOnOneLine() {
        LoggingEvent event = event(Level.INFO, "download stored", null);
        event.setKeyValuePairs(List.of(new KeyValuePair("digest", "sha256:abc"), new KeyValuePair("bytes", 42L)));

        String line = encode(event);

        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  accelerator  download stored "
                + "digest=sha256:abc bytes=42\n");
    }

    @Test
    void masksTokensAndSignaturesInMessagesFieldsAndStackTraces() {
        LoggingEvent event = event(Level.WARN, "upstream said no to Bearer leakedbearer99",
                new IllegalStateException("GET https://s3.example/b?X-Amz-Signature=leakedsig failed"));
        event.setKeyValuePairs(List.of(new KeyValuePair("url", "https://s3.example/b?X-Amz-Signature=storagesig")));

        String text = encode(event);

        assertThat(text).startsWith(text.substring(0, 13) + "WARN  accelerator  upstream said no to Bearer ")
                .contains("IllegalStateException")
                .doesNotContain("leakedbearer99", "leakedsig", "storagesig");
    }

    @Test
    void theConsoleEncoderWritesJsonUnlessTextIsAskedFor() {
        ConsoleLogEncoder console = new ConsoleLogEncoder();
        console.setContext(context);
        console.start();

        String line = new String(console.encode(event(Level.INFO, "hello", null)), StandardCharsets.UTF_8);

        // DP_LOG_FORMAT is not set for the tests: JSON, the default of images, compose and k8s
        assertThat(line).startsWith("{\"timestamp\":").contains("\"message\":\"hello\"");
    }

    @Test
    void acceptsOnlyJsonOrText() {
        assertThat(LogFormat.parse(" Text ")).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.parse(null)).isEqualTo(LogFormat.JSON);
        assertThatThrownBy(() -> LogFormat.parse("xml"))
                .hasMessageContaining("DP_LOG_FORMAT must be json or text");
    }

    private LoggingEvent event(Level level, String message, Throwable thrown) {
        return new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, null);
    }

    private String encode(LoggingEvent event) {
        TextLogEncoder encoder = new TextLogEncoder();
        encoder.setContext(context);
        encoder.start();
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
