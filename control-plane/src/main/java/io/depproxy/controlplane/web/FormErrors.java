package io.depproxy.controlplane.web;

import io.depproxy.controlplane.api.ApiParams;
import io.depproxy.controlplane.error.ApiException;
import io.quarkus.qute.TemplateData;
import java.util.Map;
import java.util.Set;

/**
 * A form the services refused, shown again: the message beside the field it concerns, in the words of that field's
 * label, and what the user typed and ticked instead of the stored values. The services name fields as the API does
 * ("ttl must be between 1 and 3650"); {@link #LABELS} is the one place that names each of them as the page labels it,
 * and the templates print their labels from it too. A message about no known field stays above the form.
 *
 * <p>In a template: {@code errors.label('ttl')}, {@code errors.value('ttl-form', 'ttl', stored)},
 * {@code errors.checked('ttl-form', 'enabled', stored)}, {@code errors.invalid('ttl')},
 * {@code errors.describedBy('ttl', 'ttl-hint')} and the message itself with {@code {#include fieldError field='ttl' /}}
 * (a {@code <p id="ttl-error">}).
 */
@TemplateData
public final class FormErrors {
    /** API field name to the label the page gives it. */
    static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("manifest_revalidate_after", "Revalidate tags after (seconds)"),
            Map.entry("ttl", "Days without a pull before an object expires"),
            Map.entry("identity", "User name"),
            Map.entry("secret", "Password or token"),
            Map.entry("name", "Name"),
            Map.entry("path", "Path"),
            Map.entry("expires_at", "Expires on"),
            Map.entry("scopes", "Scopes"),
            Map.entry("token", "Personal access token"),
            Map.entry("rules", "Rules"),
            Map.entry("signature_mode", "Signature check"),
            Map.entry("signature_keys", "Signing keys"),
            Map.entry("check_image", "Image"));
    /** Fields whose submitted value is never shown again. */
    private static final Set<String> SECRET = Set.of("secret", "token");

    static final FormErrors NONE = new FormErrors(null, null, null, null);

    private final String form;
    private final ApiParams submitted;
    private final String field;
    private final String message;

    private FormErrors(String form, ApiParams submitted, String field, String message) {
        this.form = form;
        this.submitted = submitted;
        this.field = field;
        this.message = message;
    }

    /**
     * The refusal of the form with id {@code form}, posted with {@code submitted}: beside the first field its message
     * names, with every field name in it replaced by that field's label.
     */
    static FormErrors of(String form, ApiParams submitted, ApiException refusal) {
        String[] words = ErrorPages.reason(refusal).split(" ", -1);
        String field = null;
        for (int i = 0; i < words.length; i++) {
            String label = LABELS.get(words[i]);
            if (label != null) {
                field = field == null ? words[i] : field;
                words[i] = i == 0 ? label : Character.toLowerCase(label.charAt(0)) + label.substring(1);
            }
        }
        String message = String.join(" ", words);
        return new FormErrors(form, submitted, field, field == null ? message : message + ".");
    }

    /** A refusal the page words itself: beside {@code field} (null: above the form); nothing typed is kept. */
    static FormErrors of(String form, String field, String message) {
        return new FormErrors(form, null, field, message);
    }

    /**
     * A refusal the page words itself, beside {@code field} of the form posted with {@code submitted} (what was typed
     * is kept).
     */
    static FormErrors of(String form, ApiParams submitted, String field, String message) {
        return new FormErrors(form, submitted, field, message);
    }

    /** Whether a refused form: the page answers with the refusal's status. */
    public boolean any() {
        return message != null;
    }

    /** The message that concerns no field of the form (shown above it), or null. */
    public String general() {
        return field == null ? message : null;
    }

    public String label(String name) {
        return LABELS.getOrDefault(name, name);
    }

    public boolean invalid(String name) {
        return field != null && field.equals(name);
    }

    /** The message beside {@code name}, or null. */
    public String message(String name) {
        return invalid(name) ? message : null;
    }

    /** The ids that describe {@code name}: its hint (may be empty) and, when invalid, its message. */
    public String describedBy(String name, String hint) {
        String error = invalid(name) ? name + "-error" : "";
        return (hint + " " + error).trim();
    }

    /** What the user typed into {@code name} of that form, else the stored value. */
    public String value(String formId, String name, Object stored) {
        if (ofForm(formId) && !SECRET.contains(name) && submitted.has(name)) {
            return submitted.string(name).orElse("");
        }
        return stored == null ? "" : stored.toString();
    }

    /** Whether the checkbox {@code name} of that form was ticked when posted, else the stored value. */
    public boolean checked(String formId, String name, boolean stored) {
        if (!ofForm(formId) || !submitted.has(name)) {
            return stored;
        }
        return submitted.string(name).map(v -> v.equalsIgnoreCase("true")).orElse(stored);
    }

    private boolean ofForm(String formId) {
        return any() && formId.equals(form) && submitted != null;
    }
}
