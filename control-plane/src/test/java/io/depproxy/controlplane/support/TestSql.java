package io.depproxy.controlplane.support;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.List;

/** Direct SQL for test set-up and checks (ageing records, expiring tokens), each in its own transaction. */
public final class TestSql {
    private TestSql() {
    }

    public static int update(EntityManager em, String sql, Object... parameters) {
        return QuarkusTransaction.requiringNew().call(() -> bind(em.createNativeQuery(sql), parameters).executeUpdate());
    }

    public static long count(EntityManager em, String sql, Object... parameters) {
        return QuarkusTransaction.requiringNew().call(() ->
                ((Number) bind(em.createNativeQuery(sql), parameters).getSingleResult()).longValue());
    }

    @SuppressWarnings("unchecked")
    public static <T> List<T> list(EntityManager em, String sql, Object... parameters) {
        return QuarkusTransaction.requiringNew().call(() -> bind(em.createNativeQuery(sql), parameters).getResultList());
    }

    private static Query bind(Query query, Object... parameters) {
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        return query;
    }
}
