package io.depproxy.controlplane.web;

import io.depproxy.controlplane.api.ApiParams;
import io.depproxy.controlplane.error.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code /admin}: signing in with a personal access token, and out. */
@Path(AdminPaths.ROOT)
@Produces(MediaType.TEXT_HTML)
public class SignInPages {
    @Inject
    AdminSessions sessions;
    @Inject
    AdminRequest request;
    @Inject
    PageFrames frames;

    @GET
    public Response home() {
        return AdminPaths.seeOther(request.signedIn() ? AdminPaths.GROUPS : AdminPaths.SIGN_IN).build();
    }

    @GET
    @Path("sign_in")
    public Response form(@QueryParam("notice") String notice) {
        return page(200, notice, FormErrors.NONE);
    }

    /**
     * The token of the form must equal the sign-in cookie: another site cannot read the cookie, and the browser does
     * not send it along with another site's form (SameSite=Strict), so nobody is signed in as someone else unawares.
     */
    @POST
    @Path("sign_in")
    public Response signIn(@Context UriInfo uri, @Context HttpHeaders headers,
                           @CookieParam(AdminCookies.SIGN_IN) String formCookie, String body) {
        ApiParams params = ApiParams.of(uri, headers, body);
        String submitted = params.string(AdminRequest.CSRF_FIELD).orElse("");
        if (formCookie == null || formCookie.isEmpty() || !AdminRequest.sameSecret(submitted, formCookie)) {
            return page(403, null, FormErrors.of("sign-in-form", null,
                    "The sign-in form expired or came from another page; sign in again."));
        }
        try {
            String sessionId = sessions.signIn(params.string("token").orElse(null));
            // a browser that signs in again leaves no second live session behind
            sessions.signOut(request.sessionId());
            return AdminPaths.seeOther(AdminPaths.GROUPS)
                    .header("Set-Cookie", AdminCookies.session(sessionId, request.secure()))
                    .header("Set-Cookie", AdminCookies.signInExpired(request.secure())).build();
        } catch (ApiException e) {
            return page(e.status(), null, FormErrors.of("sign-in-form", "token", switch (e.status()) {
                case 401 -> "This token is unknown, expired or revoked.";
                case 403 -> "This token lacks the api or admin scope.";
                default -> "Enter a personal access token.";
            }));
        }
    }

    @POST
    @Path("sign_out")
    public Response signOut(@Context UriInfo uri, @Context HttpHeaders headers, String body) {
        request.form(uri, headers, body);
        sessions.signOut(request.sessionId());
        return AdminPaths.seeOther(AdminPaths.SIGN_IN + "?notice=signed_out")
                .header("Set-Cookie", AdminCookies.expired(request.secure())).build();
    }

    /** The sign-in form, with a new form token in its field and its cookie. */
    private Response page(int status, String notice, FormErrors errors) {
        String formToken = AdminSessions.randomSecret();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .header("Set-Cookie", AdminCookies.signIn(formToken, request.secure()))
                .entity(Pages.signIn(frames.of("Sign in", notice), formToken, errors)).build();
    }
}
