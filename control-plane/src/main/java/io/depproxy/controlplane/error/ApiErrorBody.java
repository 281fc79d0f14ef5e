package io.depproxy.controlplane.error;

import com.fasterxml.jackson.annotation.JsonProperty;

/** GitLab's admin API error body. */
public record ApiErrorBody(@JsonProperty("message") String message) {
}
