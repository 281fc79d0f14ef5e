package io.depproxy.controlplane.domain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code fetch_leases}: which accelerator replica is downloading a coalesce key right now. Each statement is atomic
 * on its own (autocommit, outside any transaction: a lease is a hint, never part of a record's write), and the
 * election is one {@code INSERT … ON CONFLICT}: of two replicas' concurrent misses, one inserts, the other finds
 * its row and, while it is live and another's, leaves it.
 */
@ApplicationScoped
public class FetchLeaseRepository {
    @Inject
    AgroalDataSource dataSource;

    /**
     * Takes the lease of {@code key} for {@code peerUrl} (or renews it when it already holds it) unless another peer
     * holds a live one. Returns the live holder after the statement: {@code peerUrl} when it got the lease.
     */
    public Optional<String> claim(String key, String peerUrl, Duration ttl) {
        return withConnection(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO fetch_leases (coalesce_key, peer_url, claimed_at, expires_at)
                    VALUES (?, ?, now(), now() + make_interval(secs => ?))
                    ON CONFLICT (coalesce_key) DO UPDATE SET peer_url = EXCLUDED.peer_url,
                        claimed_at = CASE WHEN fetch_leases.peer_url = EXCLUDED.peer_url
                            AND fetch_leases.expires_at > now() THEN fetch_leases.claimed_at ELSE now() END,
                        expires_at = EXCLUDED.expires_at
                    WHERE fetch_leases.expires_at <= now() OR fetch_leases.peer_url = EXCLUDED.peer_url
                    RETURNING peer_url""")) {
                insert.setString(1, key);
                insert.setString(2, peerUrl);
                insert.setDouble(3, ttl.toMillis() / 1000.0);
                Optional<String> won = first(insert);
                if (won.isPresent()) {
                    return won;
                }
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT peer_url FROM fetch_leases WHERE coalesce_key = ? AND expires_at > now()")) {
                select.setString(1, key);
                return first(select);
            }
        });
    }

    /**
     * The heartbeat of {@code peerUrl}: its leases of {@code keys} live {@code ttl} longer; its other leases taken
     * before {@code settle} ago end (it no longer downloads them; a younger one may be a miss it has not started
     * yet). Returns how many were renewed.
     */
    public int heartbeat(String peerUrl, List<String> keys, Duration ttl, Duration settle) {
        return withConnection(connection -> {
            Array array = connection.createArrayOf("text", keys.toArray());
            try (PreparedStatement release = connection.prepareStatement("""
                    DELETE FROM fetch_leases WHERE peer_url = ? AND NOT (coalesce_key = ANY (?))
                        AND claimed_at < now() - make_interval(secs => ?)""")) {
                release.setString(1, peerUrl);
                release.setArray(2, array);
                release.setDouble(3, settle.toMillis() / 1000.0);
                release.executeUpdate();
            }
            try (PreparedStatement expired = connection.prepareStatement(
                    "DELETE FROM fetch_leases WHERE expires_at < now() - interval '1 minute'")) {
                expired.executeUpdate();
            }
            try (PreparedStatement renew = connection.prepareStatement("""
                    UPDATE fetch_leases SET expires_at = now() + make_interval(secs => ?)
                    WHERE peer_url = ? AND coalesce_key = ANY (?) AND expires_at > now()""")) {
                renew.setDouble(1, ttl.toMillis() / 1000.0);
                renew.setString(2, peerUrl);
                renew.setArray(3, array);
                return renew.executeUpdate();
            }
        });
    }

    /** Ends the lease of {@code key} if {@code peerUrl} holds it (another peer's lease is left alone). */
    public boolean release(String key, String peerUrl) {
        return withConnection(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM fetch_leases WHERE coalesce_key = ? AND peer_url = ?")) {
                delete.setString(1, key);
                delete.setString(2, peerUrl);
                return delete.executeUpdate() > 0;
            }
        });
    }

    private static Optional<String> first(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
        }
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T withConnection(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("fetch lease query failed: " + e.getMessage(), e);
        }
    }
}
