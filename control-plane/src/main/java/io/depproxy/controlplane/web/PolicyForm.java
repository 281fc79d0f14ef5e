package io.depproxy.controlplane.web;

import io.depproxy.controlplane.api.dto.PolicyCheckView;
import io.depproxy.controlplane.api.dto.PolicyView;
import io.depproxy.controlplane.policy.PolicySettings;
import io.depproxy.controlplane.policy.SignatureMode;
import io.depproxy.controlplane.policy.SigningKey;
import io.quarkus.qute.TemplateData;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The settings page's pull policy section: the rules as lines ({@link PolicyLines}), the signature mode and keys,
 * where the policy comes from ({@code inheritedFrom}: an ancestor's path; {@code own}: the group has its own), and the
 * dry run's answer when one was asked ({@code check}, else null).
 */
@TemplateData
public record PolicyForm(String rules, String signatureMode, String keys, List<PolicyView.Key> keyList,
                         String inheritedFrom, boolean own, PolicyCheckView check, String checkedImage) {

    static PolicyForm of(PolicySettings.Shown shown, PolicyCheckView check, String checkedImage) {
        PolicyView view = PolicyView.of(shown.policy(), shown.groupPath());
        String keys = shown.policy().signatures().keys().stream().map(SigningKey::pem).collect(Collectors.joining());
        return new PolicyForm(PolicyLines.format(shown.policy().rules()), view.signatures().mode(), keys,
                view.signatures().keys(), view.inheritedFrom(),
                shown.groupPath().equals(shown.policy().definedBy()), check, checkedImage);
    }

    /** The signature modes, as the select offers them. */
    public List<String> modes() {
        return Arrays.stream(SignatureMode.values()).map(SignatureMode::apiName).toList();
    }
}
