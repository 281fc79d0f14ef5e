package io.depproxy.controlplane.web;

import io.depproxy.controlplane.api.ApiParams;
import io.depproxy.controlplane.api.PolicyInput;
import io.depproxy.controlplane.api.dto.PolicyRequest;
import io.depproxy.controlplane.api.dto.PolicyRuleRequest;
import io.depproxy.controlplane.api.dto.SignaturesRequest;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.policy.PolicyChange;
import io.depproxy.controlplane.policy.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings page's policy form: one rule per line, {@code <allow|deny> <image>[:<tag>] [from <upstream>]}
 * ({@code allow library/*}, {@code deny *:latest}, {@code deny org/* from ghcr.io}; blank lines and lines starting
 * with {@code #} are skipped), and the signing keys as PEM blocks one after the other. Read into the API's request
 * shapes and checked by {@link PolicyInput}, so the page refuses exactly what the API refuses; messages name the line
 * or key, with the form's field names ({@code rules}, {@code signature_mode}, {@code signature_keys}) that
 * {@link FormErrors} words as the labels.
 */
final class PolicyLines {
    private static final Pattern PEM = Pattern.compile("-----BEGIN PUBLIC KEY-----.*?-----END PUBLIC KEY-----",
            Pattern.DOTALL);
    private static final Pattern RULE_INDEX = Pattern.compile("^rules\\[(\\d+)\\]:? ?");
    private static final Pattern KEY_INDEX = Pattern.compile("^signatures\\.keys\\[(\\d+)\\]:? ?");

    private PolicyLines() {
    }

    /** The rules as the form shows them. */
    static String format(List<PolicyRule> rules) {
        StringBuilder text = new StringBuilder();
        for (PolicyRule rule : rules) {
            text.append(rule.action().apiName()).append(' ').append(rule.image().text());
            if (rule.tag() != null) {
                text.append(':').append(rule.tagText());
            }
            if (!rule.upstream().text().equals("*")) {
                text.append(" from ").append(rule.upstream().text());
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** The posted form as a policy change; 400/422 {@link ApiException} worded for the page. */
    static PolicyChange change(ApiParams params, PolicyInput input) {
        List<Integer> lineNumbers = new ArrayList<>();
        List<PolicyRuleRequest> rules = rules(params.string("rules").orElse(""), lineNumbers);
        List<String> keys = keys(params.string("signature_keys").orElse(""));
        String mode = params.string("signature_mode").orElse("off");
        PolicyRequest request = new PolicyRequest(rules, new SignaturesRequest(mode, keys));
        try {
            input.bounded(request);
            return new PolicyChange(PolicyInput.rules(rules), PolicyInput.signatures(request.signatures()));
        } catch (ApiException e) {
            throw new ApiException(e.status(), reworded(e.getMessage(), lineNumbers));
        }
    }

    private static List<PolicyRuleRequest> rules(String text, List<Integer> lineNumbers) {
        List<PolicyRuleRequest> rules = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            boolean from = words.length == 4 && words[2].equals("from");
            if (words.length != 2 && !from) {
                throw ApiException.badRequest("rules line " + (i + 1) + ": write <allow|deny> <image>[:<tag>]"
                        + " [from <upstream>]");
            }
            int colon = words[1].indexOf(':');
            String image = colon < 0 ? words[1] : words[1].substring(0, colon);
            String tag = colon < 0 ? null : words[1].substring(colon + 1);
            rules.add(new PolicyRuleRequest(words[0], from ? words[3] : null, image, tag));
            lineNumbers.add(i + 1);
        }
        return rules;
    }

    private static List<String> keys(String text) {
        List<String> keys = new ArrayList<>();
        Matcher block = PEM.matcher(text);
        int end = 0;
        while (block.find()) {
            if (!text.substring(end, block.start()).isBlank()) {
                break;
            }
            keys.add(block.group());
            end = block.end();
        }
        if (!text.substring(end).isBlank()) {
            throw ApiException.badRequest("signature_keys must be PEM blocks (-----BEGIN PUBLIC KEY----- …"
                    + " -----END PUBLIC KEY-----) one after the other; key " + (keys.size() + 1) + " is not one");
        }
        return keys;
    }

    /** The API's {@code rules[2]: …} as {@code rules line 5: …}, {@code signatures.keys[0]: …} as key 1. */
    private static String reworded(String apiMessage, List<Integer> lineNumbers) {
        int dash = apiMessage.indexOf(" - ");
        String status = dash < 0 ? "" : apiMessage.substring(0, dash + 3);
        String reason = dash < 0 ? apiMessage : apiMessage.substring(dash + 3);
        Matcher rule = RULE_INDEX.matcher(reason);
        Matcher key = KEY_INDEX.matcher(reason);
        if (rule.find()) {
            int index = Integer.parseInt(rule.group(1));
            reason = "rules line " + lineNumbers.get(index) + ": " + reason.substring(rule.end());
        } else if (key.find()) {
            reason = "signature_keys key " + (Integer.parseInt(key.group(1)) + 1) + ": " + reason.substring(key.end());
        } else if (reason.startsWith("rules size")) {
            reason = "rules hold at most " + PolicyRequest.MAX_RULES + " lines";
        } else if (reason.startsWith("signatures.keys size")) {
            reason = "signature_keys hold at most " + SignaturesRequest.MAX_KEYS + " keys";
        } else if (reason.startsWith("signatures.mode")) {
            reason = "signature_mode must be off, warn or enforce";
        } else if (reason.startsWith("signatures: ")) {
            reason = "signature_keys must hold at least one key to check signatures";
        }
        return status + reason;
    }
}
