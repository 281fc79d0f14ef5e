package io.depproxy.accelerator.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.depproxy.accelerator.logging.JsonLogEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The JSON lines the production encoder writes while a test runs, as a person reading the log would see them. */
public final class CapturedLog implements AutoCloseable {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();

    private CapturedLog() {
        JsonLogEncoder encoder = new JsonLogEncoder();
        encoder.setContext(context);
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(captured);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    public static CapturedLog start() {
        return new CapturedLog();
    }

    /** The lines that carry {@code "request_id":"<requestId>"}. */
    public List<String> linesOf(String requestId) {
        String marker = "\"request_id\":\"" + requestId + "\"";
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains(marker)).toList();
        }
    }

    /** Whether any line so far contains {@code text}. */
    public boolean contains(String text) {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8).contains(text);
        }
    }

    @Override
    public void close() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }
}
