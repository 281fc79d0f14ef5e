package io.depproxy.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.controlplane.domain.TokenScopes;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every admin API resource and every admin page needs a caller through Quarkus Security ({@code @RolesAllowed} with
 * the {@code api} and {@code admin} scopes): authentication is lazy, so a resource without the annotation would run
 * for anyone. The sign-in page is the one public page, and the registry, token and internal routes carry no security
 * annotation, so they never run an authentication mechanism (they check their own credentials).
 */
class AdminAccessCoverageTest {
    private static final Set<Class<? extends Annotation>> SECURITY =
            Set.of(RolesAllowed.class, Authenticated.class, PermitAll.class, DenyAll.class);
    private static final Set<String> PUBLIC_PAGES = Set.of("io.depproxy.controlplane.web.SignInPages");

    @Test
    void everyAdminApiResourceAndPageAllowsOnlyTheApiAndAdminScopes() throws Exception {
        List<Class<?>> protectedResources = resources().stream()
                .filter(c -> path(c).startsWith("/api/v4") || isAdminPage(path(c)))
                .filter(c -> !PUBLIC_PAGES.contains(c.getName())).toList();
        assertThat(protectedResources).as("admin API resources and pages found").hasSizeGreaterThan(10);
        for (Class<?> resource : protectedResources) {
            RolesAllowed roles = resource.getAnnotation(RolesAllowed.class);
            assertThat(roles).as(resource.getName() + " " + path(resource)).isNotNull();
            assertThat(roles.value()).as(resource.getName()).containsExactlyInAnyOrder(TokenScopes.API, TokenScopes.ADMIN);
            for (Method method : resource.getDeclaredMethods()) {
                assertThat(securityAnnotations(method)).as(resource.getName() + "." + method.getName()).isEmpty();
            }
        }
    }

    @Test
    void registryTokenAndInternalRoutesNeverAskQuarkusSecurity() throws Exception {
        List<Class<?>> others = resources().stream()
                .filter(c -> !path(c).startsWith("/api/v4") && !isAdminPage(path(c))).toList();
        assertThat(others).extracting(AdminAccessCoverageTest::path).contains("/v2", "/jwt/auth");
        for (Class<?> resource : others) {
            assertThat(securityAnnotations(resource)).as(resource.getName()).isEmpty();
            for (Method method : resource.getDeclaredMethods()) {
                assertThat(securityAnnotations(method)).as(resource.getName() + "." + method.getName()).isEmpty();
            }
        }
    }

    private static boolean isAdminPage(String path) {
        return path.equals("/admin") || path.startsWith("/admin/");
    }

    private static List<Class<? extends Annotation>> securityAnnotations(java.lang.reflect.AnnotatedElement element) {
        return SECURITY.stream().filter(element::isAnnotationPresent).toList();
    }

    private static String path(Class<?> resource) {
        return resource.getAnnotation(Path.class).value();
    }

    /** The control plane's JAX-RS resource classes (a class-level {@code @Path}), read from its compiled classes. */
    private static List<Class<?>> resources() throws IOException, URISyntaxException, ClassNotFoundException {
        java.nio.file.Path classes = Paths.get(TokenScopes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(classes.resolve("io/depproxy/controlplane"))) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, AdminAccessCoverageTest.class.getClassLoader());
                if (type.isAnnotationPresent(Path.class)) {
                    found.add(type);
                }
            }
        }
        return found;
    }
}
