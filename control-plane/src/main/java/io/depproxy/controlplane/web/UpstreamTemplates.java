package io.depproxy.controlplane.web;

import io.depproxy.controlplane.web.PageModels.Frame;
import io.depproxy.controlplane.web.PageModels.GroupRow;
import io.depproxy.controlplane.web.PageModels.Pager;
import io.depproxy.controlplane.web.UpstreamModels.GroupUpstreamRow;
import io.depproxy.controlplane.web.UpstreamModels.TestResult;
import io.depproxy.controlplane.web.UpstreamModels.UpstreamChoice;
import io.depproxy.controlplane.web.UpstreamModels.UpstreamForm;
import io.depproxy.controlplane.web.UpstreamModels.UpstreamRow;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/**
 * The upstream and prefetch pages' templates ({@code templates/Operations/<name>.html}), checked against these
 * parameters at build time; apart from {@link Pages} so that the two sets of pages change independently.
 */
@CheckedTemplate(basePath = "Operations")
final class UpstreamTemplates {
    private UpstreamTemplates() {
    }

    static native TemplateInstance upstreams(Frame frame, List<UpstreamRow> upstreams, Pager pager, UpstreamForm form,
                                             String error);

    /** {@code test}: the test just run, else the last one on this server, or null. */
    static native TemplateInstance upstream(Frame frame, UpstreamRow upstream, UpstreamForm form, String error,
                                            TestResult test);

    static native TemplateInstance groupUpstreams(Frame frame, GroupRow group, List<GroupUpstreamRow> upstreams,
                                                  boolean inherited, String sourceGroup, boolean fallbackOnError,
                                                  boolean fallbackOnAuthError, String currentIds,
                                                  List<UpstreamChoice> choices, String error);

    static native TemplateInstance prefetchJobs(Frame frame, GroupRow group, List<PrefetchModels.JobRow> jobs,
                                                Pager pager, String images, String platforms, String error);

    static native TemplateInstance prefetchJob(Frame frame, GroupRow group, PrefetchModels.JobRow job,
                                               List<PrefetchModels.ImageRow> images);
}
