package io.depproxy.controlplane.signature;

/**
 * The outcome of checking an image's signatures: {@code VERIFIED}, {@code UNSIGNED} (no signature under its tag),
 * {@code INVALID} (signatures exist but none verifies) or {@code UNAVAILABLE} (the upstream could not be asked and no
 * copy is cached: never remembered); {@code reason} says what is missing, in words a client is shown in a 403 DENIED
 * and an operator reads in the log.
 */
public record Verdict(Outcome outcome, String reason) {
    public enum Outcome {
        VERIFIED, UNSIGNED, INVALID, UNAVAILABLE;

        /** The {@code result} label of {@code dp_signature_checks_total}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Verdict verified(String reason) {
        return new Verdict(Outcome.VERIFIED, reason);
    }

    public static Verdict unsigned(String reason) {
        return new Verdict(Outcome.UNSIGNED, reason);
    }

    public static Verdict invalid(String reason) {
        return new Verdict(Outcome.INVALID, reason);
    }

    public static Verdict unavailable(String reason) {
        return new Verdict(Outcome.UNAVAILABLE, reason);
    }

    public boolean verified() {
        return outcome == Outcome.VERIFIED;
    }
}
