package io.depproxy.controlplane.support;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;

/** Identity steps through the admin API, as the bootstrap administrator. */
public final class AdminApi {
    private AdminApi() {
    }

    public static RequestSpecification asAdmin() {
        return as(TestApi.adminToken());
    }

    public static RequestSpecification as(String token) {
        return given().header("PRIVATE-TOKEN", token);
    }

    /** A new user; returns its id. */
    public static long createUser(String username) {
        return asAdmin().contentType("application/json")
                .body(Map.of("username", username, "name", "User " + username, "email", username + "@example.com"))
                .post("/api/v4/users").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Changes the group's dependency proxy settings ({@code fields} as the API names them). */
    public static void updateSettings(long groupId, Map<String, Object> fields) {
        asAdmin().contentType("application/json").body(fields)
                .put("/api/v4/groups/" + groupId + "/dependency_proxy/settings").then().statusCode(200);
    }

    /** Turns the group's cache expiry policy on with {@code ttlDays}. */
    public static void expireAfter(long groupId, int ttlDays) {
        asAdmin().contentType("application/json").body(Map.of("enabled", true, "ttl", ttlDays))
                .put("/api/v4/groups/" + groupId + "/dependency_proxy/ttl_policy").then().statusCode(200);
    }

    /** A token the admin API created: its id, the username it logs in with, and its raw value (shown once). */
    public record IssuedToken(long id, String username, String token) {
    }

    /** A new personal access token of the user; returns the raw token. */
    public static String createToken(long userId, String... scopes) {
        return issued(tokenCreation(scopes).post("/api/v4/users/" + userId + "/personal_access_tokens"), null).token();
    }

    /** A new user with a personal access token of {@code scopes}. */
    public static IssuedToken userToken(String username, String... scopes) {
        return issued(tokenCreation(scopes).post("/api/v4/users/" + createUser(username) + "/personal_access_tokens"),
                username);
    }

    /** A new deploy token of the group with {@code scopes}. */
    public static IssuedToken deployToken(long groupId, String... scopes) {
        return issued(tokenCreation(scopes).post("/api/v4/groups/" + groupId + "/deploy_tokens"), null);
    }

    private static RequestSpecification tokenCreation(String... scopes) {
        return asAdmin().contentType("application/json").body(Map.of("name", "t", "scopes", List.of(scopes)));
    }

    /** The created token; its username is the answer's (a deploy token's) unless given. */
    private static IssuedToken issued(Response created, String username) {
        JsonPath body = created.then().statusCode(201).extract().jsonPath();
        return new IssuedToken(body.getLong("id"), username != null ? username : body.getString("username"),
                body.getString("token"));
    }

    /** A user with a token of {@code scopes}; returns the raw token. */
    public static String userWithToken(String username, String... scopes) {
        return createToken(createUser(username), scopes);
    }

    public static void addMember(long groupId, long userId, int accessLevel) {
        asAdmin().contentType("application/json").body(Map.of("user_id", userId, "access_level", accessLevel))
                .post("/api/v4/groups/" + groupId + "/members").then().statusCode(201);
    }

    /** A member of the group with an {@code api} token; returns the raw token. */
    public static String memberWithToken(long groupId, int accessLevel) {
        long userId = createUser(TestApi.unique("member"));
        addMember(groupId, userId, accessLevel);
        return createToken(userId, "api", "read_registry");
    }
}
