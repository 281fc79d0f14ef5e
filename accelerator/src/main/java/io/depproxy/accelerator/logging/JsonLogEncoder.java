package io.depproxy.accelerator.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.depproxy.contracts.observability.SecretMask;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per line, in the control plane's shape (Quarkus' JSON formatter): {@code timestamp},
 * {@code level}, {@code loggerName}, {@code threadName}, {@code message}, and the event's key/values under
 * {@code mdc}, where the control plane keeps {@code request_id}; one query then finds a request in both services.
 * Message, values and stack trace go through {@link SecretMask}: no log line carries a signature or a token.
 */
public final class JsonLogEncoder extends LineEncoder {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("loggerName", event.getLoggerName());
            json.writeStringField("threadName", event.getThreadName());
            json.writeStringField("message", SecretMask.mask(event.getFormattedMessage()));
            writeMdc(json, LogFields.of(event));
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("exception", SecretMask.mask(ThrowableProxyUtil.asString(thrown)));
            }
            json.writeEndObject();
        } catch (IOException e) {
            return ("{\"level\":\"ERROR\",\"message\":\"unencodable log event\"}\n").getBytes(StandardCharsets.UTF_8);
        }
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeMdc(JsonGenerator json, Map<String, Object> fields) throws IOException {
        if (fields.isEmpty()) {
            return;
        }
        json.writeObjectFieldStart("mdc");
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            Object value = field.getValue();
            if (value instanceof Integer || value instanceof Long) {
                json.writeNumberField(field.getKey(), ((Number) value).longValue());
            } else {
                json.writeStringField(field.getKey(), SecretMask.mask(String.valueOf(value)));
            }
        }
        json.writeEndObject();
    }
}
