package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST …/dependency_proxy/policy/check}: an image reference as a user writes it. */
public record PolicyCheckRequest(
        @JsonProperty("image") @Size(max = 1024)
        @Schema(required = true, example = "nginx:latest",
                description = "nginx:latest, docker.io/library/nginx:1.25, ghcr.io/org/tool@sha256:…") String image) {
}
