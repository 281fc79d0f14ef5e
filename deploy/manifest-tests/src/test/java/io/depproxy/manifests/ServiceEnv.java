package io.depproxy.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one service reads from its environment, from {@code service-env/<service>.txt}: lines of
 * {@code NAME required|optional}, where {@code A|B required} means at least one of A and B.
 */
record ServiceEnv(String service, List<Variable> variables) {

    record Variable(List<String> alternatives, boolean required) {
    }

    static ServiceEnv load(String service) {
        String resource = "service-env/" + service + ".txt";
        try (InputStream in = ServiceEnv.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " for the Deployment of component " + service);
            }
            return parse(service, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    static ServiceEnv parse(String service, String text) {
        List<Variable> variables = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != 2 || !(fields[1].equals("required") || fields[1].equals("optional"))) {
                throw new IllegalArgumentException(service + ": not `NAME required|optional`: " + line);
            }
            variables.add(new Variable(List.of(fields[0].split("\\|")), fields[1].equals("required")));
        }
        return new ServiceEnv(service, List.copyOf(variables));
    }

    Set<String> names() {
        Set<String> names = new TreeSet<>();
        variables.forEach(v -> names.addAll(v.alternatives()));
        return names;
    }

    List<Variable> required() {
        return variables.stream().filter(Variable::required).toList();
    }
}
