package io.depproxy.controlplane.web;

import io.depproxy.controlplane.web.PageModels.Frame;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/** The frame of a page for the current request: who is signed in, the session's CSRF token, a known notice. */
@ApplicationScoped
public class PageFrames {
    /** Notices a redirect may ask for ({@code ?notice=}); anything else shows none. */
    static final Map<String, String> NOTICES = Map.ofEntries(
            Map.entry("signed_out", "You are signed out."),
            Map.entry("group_created", "The group was created."),
            Map.entry("settings_saved", "The settings were saved."),
            Map.entry("ttl_saved", "The cache expiry policy was saved."),
            Map.entry("policy_saved", "The pull policy was saved."),
            Map.entry("policy_removed", "The group's own pull policy was removed: it inherits its ancestors' again."),
            Map.entry("purge_started", "The purge has started: every cached object of the group is being deleted."),
            Map.entry("token_revoked", "The deploy token was revoked."),
            Map.entry("upstream_created", "The upstream was added. Test its connection below."),
            Map.entry("upstream_saved", "The upstream was saved."),
            Map.entry("upstream_deleted", "The upstream was deleted."),
            Map.entry("group_upstreams_saved", "The group's upstreams were saved."));

    @Inject
    AdminRequest request;

    Frame of(String title, String notice) {
        String text = notice == null ? null : NOTICES.get(notice);
        if (!request.signedIn()) {
            return new Frame(title, null, false, null, text);
        }
        AdminSessions.Session session = request.session();
        return new Frame(title, session.caller().user().getUsername(), session.caller().admin(), session.csrfToken(),
                text);
    }

    /**
     * The frame of an error page. Who is signed in is read lazily; when that read is what failed (the database is
     * unreachable while the session resumes), the page shows nobody signed in rather than failing again.
     */
    Frame ofError(String title) {
        try {
            return of(title, null);
        } catch (RuntimeException e) {
            return new Frame(title, null, false, null, null);
        }
    }
}
