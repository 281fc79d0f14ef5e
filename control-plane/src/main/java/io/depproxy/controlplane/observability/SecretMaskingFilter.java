package io.depproxy.controlplane.observability;

import io.depproxy.contracts.observability.SecretMask;
import io.quarkus.logging.LoggingFilter;
import java.util.Objects;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Runs every console log record through {@link SecretMask} before it is formatted (plain or JSON): message and
 * exception messages lose query strings, signatures, bearer credentials and tokens. Registered on the console
 * handler by {@code quarkus.log.console.filter}. Never drops a record.
 */
@LoggingFilter(name = SecretMaskingFilter.NAME)
public final class SecretMaskingFilter implements Filter {
    public static final String NAME = "dp-secret-mask";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String message = ext.getFormattedMessage();
            String masked = SecretMask.mask(message);
            if (!Objects.equals(message, masked)) {
                ext.setMessage(masked, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        }
        if (record.getThrown() != null) {
            record.setThrown(MaskedThrowable.of(record.getThrown()));
        }
        return true;
    }
}
