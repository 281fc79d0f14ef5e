package io.depproxy.accelerator.edge;

import io.depproxy.contracts.error.RegistryErrorCode;

/** What the public edge does with one request: answer it itself, forward it unchanged, or refuse it. */
public sealed interface EdgeDecision permits EdgeDecision.Own, EdgeDecision.Forward, EdgeDecision.Refuse {

    Surface surface();

    /** One of the accelerator's own routes ({@code /-/health/live}, {@code /-/health/ready}, {@code /-/metrics}). */
    record Own(String path) implements EdgeDecision {
        @Override
        public Surface surface() {
            return Surface.OWN;
        }
    }

    /** Forwarded to the control plane with exactly this raw path (the one that was checked) and the raw query. */
    record Forward(Surface surface, String path) implements EdgeDecision {
    }

    /**
     * Answered here and never forwarded. {@code allow} is the {@code Allow} header of a 405, else null;
     * {@code code} is what a registry-format body says (the API format only carries {@code message}).
     */
    record Refuse(Surface surface, int status, RegistryErrorCode code, String message, String allow)
            implements EdgeDecision {

        static Refuse of(Surface surface, int status, RegistryErrorCode code, String message) {
            return new Refuse(surface, status, code, message, null);
        }
    }
}
