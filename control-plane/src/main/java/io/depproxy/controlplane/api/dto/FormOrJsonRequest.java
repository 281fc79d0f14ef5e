package io.depproxy.controlplane.api.dto;

/**
 * A request the admin API reads as GitLab's API reads its parameters: a JSON object or an
 * {@code application/x-www-form-urlencoded} form (either way the same values), over the query string. A record that
 * implements this is bound from the body by {@code api.FormOrJsonBodyReader}; its Bean Validation constraints are
 * checked before the resource runs and its shape is the route's request body in the OpenAPI document.
 */
public interface FormOrJsonRequest {
}
