package io.depproxy.contracts.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.contracts.ContractJson;
import java.util.List;

/** {@code {"errors":[{"code":…,"message":…,"detail":…}]}}, the only error body a registry client sees. */
public record RegistryErrorBody(@JsonProperty("errors") List<Entry> errors) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(@JsonProperty("code") String code,
                        @JsonProperty("message") String message,
                        @JsonProperty("detail") Object detail) {
    }

    public static RegistryErrorBody of(RegistryErrorCode code, String message) {
        return new RegistryErrorBody(List.of(new Entry(code.name(), message, null)));
    }

    public static String json(RegistryErrorCode code, String message) {
        return of(code, message).toJson();
    }

    public String toJson() {
        return ContractJson.write(this);
    }
}
