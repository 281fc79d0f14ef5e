package io.depproxy.accelerator.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import io.depproxy.contracts.observability.SecretMask;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * A short line a person reads: {@code 14:03:07.412 INFO  accelerator  pulled … key=value}, then the stack trace if
 * any. Masked like the JSON lines ({@link SecretMask}): no signature or token reaches a terminal either.
 */
public final class TextLogEncoder extends LineEncoder {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160)
                .append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ')
                .append(String.format("%-5s", event.getLevel())).append(" accelerator  ")
                .append(SecretMask.mask(event.getFormattedMessage()));
        for (Map.Entry<String, Object> field : LogFields.of(event).entrySet()) {
            line.append(' ').append(field.getKey()).append('=').append(SecretMask.mask(String.valueOf(field.getValue())));
        }
        line.append('\n');
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(SecretMask.mask(ThrowableProxyUtil.asString(thrown))).append('\n');
        }
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }
}
