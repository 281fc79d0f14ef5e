package io.depproxy.accelerator.edge;

/** The bodies being read already hold the whole {@link BodyBudget}; this one is refused unread. */
public final class BodyBudgetExhaustedException extends RuntimeException {
    public BodyBudgetExhaustedException(long used) {
        super("edge: request bodies being read already hold " + used + " bytes", null, false, false);
    }
}
