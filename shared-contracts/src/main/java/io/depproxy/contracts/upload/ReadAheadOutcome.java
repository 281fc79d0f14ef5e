package io.depproxy.contracts.upload;

import io.depproxy.contracts.Headers;

/**
 * What became of a download the accelerator's blob read-ahead started, told on its finalize in
 * {@link Headers#READ_AHEAD} (believed next to the internal JWT the finalize requires): it decides who counts the
 * pull's miss of the blob.
 */
public enum ReadAheadOutcome {
    /**
     * No header: the read-ahead did not start it, or a client (or a peer replica's relay) took it after asking the
     * control plane, whose decision counted the miss.
     */
    ASKED(null),
    /** Nobody took it before it was stored: the first client GET of the stored blob is the pull's miss. */
    AHEAD_OF_CLIENTS("1"),
    /**
     * The client it was read ahead for took it on the read-ahead's decision, without asking the control plane again
     * ({@link Headers#READ_AHEAD_REUSE}): that client's miss is counted when the blob is stored.
     */
    JOINED_ON_DECISION("joined");

    private final String headerValue;

    ReadAheadOutcome(String headerValue) {
        this.headerValue = headerValue;
    }

    /** The header's value, or null when none is sent. */
    public String headerValue() {
        return headerValue;
    }

    /** The outcome a finalize's header names; absent or unknown (an older accelerator) is {@link #ASKED}. */
    public static ReadAheadOutcome parse(String headerValue) {
        for (ReadAheadOutcome outcome : values()) {
            if (outcome.headerValue != null && outcome.headerValue.equals(headerValue)) {
                return outcome;
            }
        }
        return ASKED;
    }
}
