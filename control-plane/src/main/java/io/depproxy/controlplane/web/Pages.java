package io.depproxy.controlplane.web;

import io.depproxy.controlplane.web.PageModels.CacheRow;
import io.depproxy.controlplane.web.PageModels.Frame;
import io.depproxy.controlplane.web.PageModels.GroupRow;
import io.depproxy.controlplane.web.PageModels.Pager;
import io.depproxy.controlplane.web.PageModels.Statistics;
import io.depproxy.controlplane.web.PageModels.TokenRow;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/** The admin page's templates ({@code templates/Pages/<name>.html}), checked against these parameters at build time. */
@CheckedTemplate(basePath = "Pages")
final class Pages {
    private Pages() {
    }

    static native TemplateInstance signIn(Frame frame, String formToken, FormErrors errors);

    static native TemplateInstance groups(Frame frame, List<GroupRow> groups, Pager pager, String search,
                                          FormErrors errors);

    static native TemplateInstance group(Frame frame, GroupRow group, String username,
                                         Statistics statistics, String chart, int chartDays,
                                         List<GroupRow> subgroups, long subgroupCount, FormErrors errors);

    static native TemplateInstance cache(Frame frame, GroupRow group, boolean manifests, List<CacheRow> rows,
                                         Pager pager, String search);

    static native TemplateInstance settings(Frame frame, GroupRow group, PageModels.SettingsForm form,
                                            PolicyForm policy, FormErrors errors);

    static native TemplateInstance purge(Frame frame, GroupRow group, FormErrors errors);

    static native TemplateInstance deployTokens(Frame frame, GroupRow group, List<TokenRow> tokens, Pager pager,
                                                PageModels.CreatedToken created, FormErrors errors);

    static native TemplateInstance revokeToken(Frame frame, GroupRow group, TokenRow token);

    static native TemplateInstance error(Frame frame, int status, String message);
}
