package io.depproxy.localrunner;

import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.jar.JarFile;

/**
 * Stands in for a service in {@link LocalRunnerTest}: packed alone into a jar whose manifest says its role
 * ({@code control-plane}, {@code accelerator} or {@code crash}). It serves the readiness probe and echoes
 * its DP_* environment at {@code /env} and its JVM options at {@code /jvm}. Single class, no nested classes: the
 * test copies just this file.
 */
public final class FakeService {

    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String role;
        try (JarFile file = new JarFile(jar.toFile())) {
            role = file.getManifest().getMainAttributes().getValue("Fake-Role");
        }
        if ("crash".equals(role)) {
            System.exit(3);
        }
        String portVariable = "accelerator".equals(role) ? "DP_HTTP_PORT" : "DP_CONTROL_PLANE_PORT";
        int port = Integer.parseInt(System.getenv(portVariable));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/-/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/env", exchange -> {
            StringBuilder body = new StringBuilder();
            new TreeMap<>(System.getenv()).forEach((name, value) -> {
                if (name.startsWith("DP_")) {
                    body.append(name).append('=').append(value).append('\n');
                }
            });
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.createContext("/jvm", exchange -> {
            byte[] bytes = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }
}
