package io.depproxy.accelerator.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/** The encoder logback.xml names: JSON or text lines as {@code DP_LOG_FORMAT} says ({@link LogFormat}). */
public final class ConsoleLogEncoder extends EncoderBase<ILoggingEvent> {
    private Encoder<ILoggingEvent> format = new JsonLogEncoder();

    @Override
    public void start() {
        format = LogFormat.fromEnvironment() == LogFormat.TEXT ? new TextLogEncoder() : new JsonLogEncoder();
        format.setContext(getContext());
        format.start();
        super.start();
    }

    @Override
    public byte[] headerBytes() {
        return format.headerBytes();
    }

    @Override
    public byte[] footerBytes() {
        return format.footerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return format.encode(event);
    }
}
