package io.depproxy.controlplane.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The admin page as a browser uses it, without following redirects: sign in, read a page's CSRF token, post forms. */
public final class AdminPageBrowser {
    public static final String COOKIE = "dp_admin_session";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");

    private final String session;

    private AdminPageBrowser(String session) {
        this.session = session;
    }

    public static final String SIGN_IN_COOKIE = "dp_admin_sign_in";

    public static Response postSignIn(String token) {
        return postSignIn(given(), token);
    }

    /** Opens the sign-in form (its cookie and token) and posts it with {@code token} on {@code request}. */
    public static Response postSignIn(RequestSpecification request, String token) {
        Response form = given().get("/admin/sign_in");
        form.then().statusCode(200);
        return request.redirects().follow(false).cookie(SIGN_IN_COOKIE, form.getCookie(SIGN_IN_COOKIE))
                .contentType("application/x-www-form-urlencoded").formParam("csrf_token", csrfTokenOf(form))
                .formParam("token", token).post("/admin/sign_in");
    }

    /** The {@code Set-Cookie} header of the session cookie, or null. */
    public static String sessionCookieHeader(Response response) {
        return response.getHeaders().getValues("Set-Cookie").stream().filter(value -> value.startsWith(COOKIE + "="))
                .findFirst().orElse(null);
    }

    public static AdminPageBrowser signIn(String token) {
        Response response = postSignIn(token);
        response.then().statusCode(303);
        return new AdminPageBrowser(response.getCookie(COOKIE));
    }

    public String session() {
        return session;
    }

    public RequestSpecification request() {
        return given().redirects().follow(false).cookie(COOKIE, session);
    }

    public Response get(String path) {
        return request().get(path);
    }

    /** The CSRF token in the forms of the page at {@code path}. */
    public String csrfToken(String path) {
        Response page = get(path);
        page.then().statusCode(200);
        return csrfTokenOf(page);
    }

    private static String csrfTokenOf(Response page) {
        Matcher matcher = CSRF.matcher(page.asString());
        if (!matcher.find()) {
            throw new AssertionError("no CSRF token on the page");
        }
        return matcher.group(1);
    }

    /** Posts a form with the session's CSRF token (read from {@code formPage}) and the given name/value pairs. */
    public Response post(String formPage, String action, String... namesAndValues) {
        RequestSpecification form = request().contentType("application/x-www-form-urlencoded")
                .formParam("csrf_token", csrfToken(formPage));
        return postWith(form, action, namesAndValues);
    }

    /** Posts a form without any CSRF token, as another site's page would. */
    public Response postForged(String action, String... namesAndValues) {
        return postWith(request().contentType("application/x-www-form-urlencoded"), action, namesAndValues);
    }

    private static Response postWith(RequestSpecification form, String action, String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.formParam(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form.post(action);
    }
}
