package io.depproxy.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.controlplane.api.dto.PolicyCheckRequest;
import io.depproxy.controlplane.api.dto.PolicyRequest;
import io.depproxy.controlplane.api.dto.PolicyRuleRequest;
import io.depproxy.controlplane.api.dto.SignaturesRequest;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.policy.PolicyChange;
import io.depproxy.controlplane.policy.PolicyRule;
import io.depproxy.controlplane.policy.SignatureMode;
import io.depproxy.controlplane.policy.SignatureRequirement;
import io.depproxy.controlplane.policy.SigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A pull policy as a client sends it, checked: the JSON body read into the typed request (400 when it is not JSON of
 * that shape), its bounds checked by Bean Validation (422: too many rules or keys, too long a pattern or key), then
 * each rule and key parsed (400 with the rule's or key's index: unknown action, bad pattern, a key we do not take,
 * {@code warn}/{@code enforce} without a key). The admin page sends the same shapes.
 */
@ApplicationScoped
public class PolicyInput {
    @Inject
    ObjectMapper json;
    @Inject
    Validator validator;

    public PolicyChange policy(String body) {
        PolicyRequest request = read(body, PolicyRequest.class);
        bounded(request);
        return new PolicyChange(rules(request.rules()), signatures(request.signatures()));
    }

    public String checkedImage(String body) {
        PolicyCheckRequest request = read(body, PolicyCheckRequest.class);
        bounded(request);
        return request.image();
    }

    /** 422 naming the first value out of bounds. */
    public <T> void bounded(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
    }

    public static List<PolicyRule> rules(List<PolicyRuleRequest> requested) {
        List<PolicyRule> rules = new ArrayList<>();
        for (int i = 0; requested != null && i < requested.size(); i++) {
            PolicyRuleRequest rule = requested.get(i);
            if (rule == null) {
                throw ApiException.badRequest("rules[" + i + "] must be an object");
            }
            try {
                rules.add(PolicyRule.of(rule.action(), rule.upstream(), rule.image(), rule.tag()));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("rules[" + i + "]: " + e.getMessage());
            }
        }
        return rules;
    }

    public static SignatureRequirement signatures(SignaturesRequest requested) {
        if (requested == null) {
            return SignatureRequirement.NONE;
        }
        SignatureMode mode = requested.mode() == null ? SignatureMode.OFF : SignatureMode.parse(requested.mode())
                .orElseThrow(() -> ApiException.badRequest("signatures.mode must be off, warn or enforce"));
        List<SigningKey> keys = new ArrayList<>();
        List<String> pems = requested.keys() == null ? List.of() : requested.keys();
        for (int i = 0; i < pems.size(); i++) {
            try {
                SigningKey key = SigningKey.parse(pems.get(i));
                if (keys.stream().noneMatch(k -> k.fingerprint().equals(key.fingerprint()))) {
                    keys.add(key);
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("signatures.keys[" + i + "]: " + e.getMessage());
            }
        }
        try {
            return new SignatureRequirement(mode, keys);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("signatures: " + e.getMessage());
        }
    }

    private <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (tree == null || !tree.isObject()) {
            throw ApiException.badRequest("the body does not have the expected shape at the top level (a JSON object)");
        }
        try {
            return json.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body does not have the expected shape at "
                    + (e instanceof JsonMappingException mapping ? where(mapping) : "the top level")
                    + " (see the OpenAPI document)");
        }
    }

    /** {@code rules[2].image}: where in the body a value has the wrong type (never a Java type's name). */
    private static String where(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "the top level" : path.toString();
    }
}
