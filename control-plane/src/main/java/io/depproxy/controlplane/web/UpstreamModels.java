package io.depproxy.controlplane.web;

import io.depproxy.controlplane.domain.Upstream;
import io.depproxy.controlplane.upstream.AuthChallenge;
import io.depproxy.controlplane.upstream.UpstreamConnectionTests;
import io.depproxy.controlplane.upstream.UpstreamProbe;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the upstream pages show: the instance's upstreams, their last connection test, a group's ordered list. */
final class UpstreamModels {
    private UpstreamModels() {
    }

    /** One upstream of the instance; {@code health}: the last connection test, or null when none ran here. */
    @TemplateData
    record UpstreamRow(long id, String name, String url, String username, boolean secretSet, String singleNamePrefix,
                       Integer manifestRevalidateAfter, boolean isDefault, boolean openToAllGroups, TestResult health) {
        static UpstreamRow of(Upstream upstream, Optional<UpstreamConnectionTests.Outcome> last) {
            return new UpstreamRow(upstream.getId(), upstream.getName(), upstream.getUrl(), upstream.getUsername(),
                    upstream.getEncryptedSecret() != null, upstream.getSingleNamePrefix(),
                    upstream.getManifestRevalidateAfter(), upstream.isDefaultUpstream(), upstream.isOpenToAllGroups(),
                    last.map(TestResult::of).orElse(null));
        }

        /** The form's choice that leaves {@code open_to_all_groups} as it is. */
        public String keepOpenLabel() {
            return openToAllGroups ? "As now: every group" : "As now: only the groups that list it";
        }

        /** This upstream's page on the admin page. */
        public String page() {
            return AdminPaths.UPSTREAMS + "/" + id;
        }
    }

    /**
     * What the form shows: the stored values, or after a refused submission the typed ones (never a secret).
     * {@code openToAllGroups}: "" (the service's rule decides), "true" or "false".
     */
    @TemplateData
    record UpstreamForm(String name, String url, String username, String singleNamePrefix,
                        String manifestRevalidateAfter, String openToAllGroups) {
        static final UpstreamForm EMPTY = new UpstreamForm("", "", "", "", "0", "");

        /** Which {@code open_to_all_groups} choice is selected: "as it is", open or closed. */
        public String openChoice() {
            return "true".equals(openToAllGroups) ? "open" : "false".equals(openToAllGroups) ? "closed" : "keep";
        }
    }

    /** A connection test's outcome in words: one line per question the registry answered. */
    @TemplateData
    record TestResult(boolean ok, String summary, List<String> details, String testedAt) {
        static TestResult of(UpstreamConnectionTests.Outcome outcome) {
            UpstreamProbe.Report report = outcome.report();
            List<String> details = new ArrayList<>();
            if (!report.reachable()) {
                details.add("Not reachable: " + report.message());
            } else {
                AuthChallenge challenge = report.challenge();
                String answer = "GET /v2/ without credentials answered " + report.status();
                if (challenge.scheme() == AuthChallenge.Scheme.BEARER) {
                    answer += ", asking for a token from " + challenge.realm()
                            + (challenge.service() == null ? "" : " (service " + challenge.service() + ")");
                } else if (challenge.scheme() == AuthChallenge.Scheme.BASIC) {
                    answer += ", asking for a user name and password (Basic)";
                }
                details.add(answer + ".");
                if (report.credentialsTried()) {
                    details.add(report.authenticatedStatus() == null ? "With the stored credentials: no answer."
                            : "With the stored credentials it answered " + report.authenticatedStatus() + ".");
                } else {
                    details.add("No credentials are stored, so none were tried.");
                }
                if (report.message() != null) {
                    details.add(report.message());
                }
            }
            return new TestResult(report.ok(), report.ok() ? "Healthy" : "Failing", details,
                    Formats.time(outcome.testedAt()));
        }
    }

    /** An upstream of a group's list; the moves are the whole list in its new order, as the form posts it. */
    @TemplateData
    record GroupUpstreamRow(long upstreamId, String name, String url, int position, String identity,
                            boolean openToAllGroups, String moveUp, String moveDown, String without) {
    }

    /** An upstream that may be added to a group's list. */
    @TemplateData
    record UpstreamChoice(long id, String name) {
    }
}
