package io.depproxy.controlplane.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.contracts.ContractJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a group's own rules and keys are stored ({@code domain/GroupPullPolicy}): JSON arrays of the rules as the API
 * writes them and of the keys' PEM blocks. Stored values were checked when written; one that no longer parses is a
 * broken row, refused loudly rather than read as "no policy".
 */
final class PolicyCodec {
    private static final ObjectMapper JSON = ContractJson.mapper();

    private PolicyCodec() {
    }

    static String rules(List<PolicyRule> rules) {
        List<Map<String, String>> stored = new ArrayList<>();
        for (PolicyRule rule : rules) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("action", rule.action().apiName());
            fields.put("upstream", rule.upstream().text());
            fields.put("image", rule.image().text());
            fields.put("tag", rule.tagText());
            stored.add(fields);
        }
        return write(stored);
    }

    static List<PolicyRule> rules(String stored) {
        return read(stored, new TypeReference<List<Map<String, String>>>() { }).stream()
                .map(f -> PolicyRule.of(f.get("action"), f.get("upstream"), f.get("image"), f.get("tag"))).toList();
    }

    static String keys(List<SigningKey> keys) {
        return write(keys.stream().map(SigningKey::pem).toList());
    }

    static List<SigningKey> keys(String stored) {
        return read(stored, new TypeReference<List<String>>() { }).stream().map(SigningKey::parse).toList();
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("policy: cannot encode " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String stored, TypeReference<T> type) {
        try {
            return JSON.readValue(stored, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("policy: a stored policy is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
