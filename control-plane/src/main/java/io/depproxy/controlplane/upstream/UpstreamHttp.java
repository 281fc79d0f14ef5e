package io.depproxy.controlplane.upstream;

import io.depproxy.contracts.observability.UpstreamOutcome;
import io.depproxy.contracts.observability.UpstreamRateLimit;
import io.depproxy.contracts.outbound.Destination;
import io.depproxy.contracts.outbound.OutboundCredentials;
import io.depproxy.contracts.outbound.OutboundRedirects;
import io.depproxy.contracts.outbound.OutboundRefused;
import io.depproxy.contracts.outbound.Origin;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Blocking HTTP to an upstream on behalf of one upstream (connect 10 s, each exchange 30 s in all, body included).
 * Every hop passes the shared destination policy ({@link OutboundDestinations}) and connects to the address it
 * checked ({@link PinnedClients}). Redirects are followed here, at most {@link OutboundRedirects#MAX_HOPS}, with the
 * shared credentials rule ({@link OutboundCredentials}: no credential header to another origin or over a downgrade).
 * Bodies are read as they stream and never beyond their cap: the read stops there and the connection is closed.
 * Every call is counted for the upstream it is made for, by name ({@link UpstreamMetrics}: outcome, duration, and the
 * rate-limit headers of every answer on the way).
 */
@Singleton
public class UpstreamHttp {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_BODY = 64 * 1024;

    private final OutboundDestinations destinations;
    private final UpstreamMetrics metrics;
    private final PinnedClients clients = new PinnedClients(new OkHttpClient.Builder()
            .connectTimeout(CONNECT_TIMEOUT)
            .readTimeout(REQUEST_TIMEOUT)
            .callTimeout(REQUEST_TIMEOUT)
            .followRedirects(false)
            .followSslRedirects(false)
            .proxy(Proxy.NO_PROXY) // a proxy would resolve the name itself, past the check
            .build());

    /** The final answer: status, headers (names in any case), and (for GET) a small text body. */
    public record Result(int status, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    @Inject
    public UpstreamHttp(OutboundDestinations destinations, UpstreamMetrics metrics) {
        this.destinations = destinations;
        this.metrics = metrics;
    }

    /** Counting into meters nobody scrapes. */
    public UpstreamHttp(OutboundDestinations destinations) {
        this(destinations, UpstreamMetrics.unscraped());
    }

    /** {@code HEAD uri} for the upstream at {@code upstream} (whose own origin may be internal), counted as unknown. */
    public Result head(Origin upstream, URI uri, Map<String, String> headers) {
        return head(UpstreamMetrics.UNKNOWN, upstream, uri, headers);
    }

    /** {@code HEAD uri} for the upstream called {@code name} at {@code upstream}. */
    public Result head(String name, Origin upstream, URI uri, Map<String, String> headers) {
        return exchange(name, "HEAD", upstream, uri, headers, MAX_BODY, false);
    }

    /** A GET whose body is small text (tokens, challenges); longer bodies are cut off. Counted as unknown. */
    public Result get(Origin upstream, URI uri, Map<String, String> headers) {
        return get(UpstreamMetrics.UNKNOWN, upstream, uri, headers);
    }

    /** A GET whose body is small text, for the upstream called {@code name}; longer bodies are cut off. */
    public Result get(String name, Origin upstream, URI uri, Map<String, String> headers) {
        return exchange(name, "GET", upstream, uri, headers, MAX_BODY, false);
    }

    /** A GET of a text body of at most {@code maxBody} bytes; a longer one is an {@link UpstreamException}. */
    public Result get(Origin upstream, URI uri, Map<String, String> headers, int maxBody) {
        return get(UpstreamMetrics.UNKNOWN, upstream, uri, headers, maxBody);
    }

    /** As {@link #get(Origin, URI, Map, int)}, for the upstream called {@code name}. */
    public Result get(String name, Origin upstream, URI uri, Map<String, String> headers, int maxBody) {
        return exchange(name, "GET", upstream, uri, headers, maxBody, true);
    }

    private Result exchange(String name, String method, Origin upstream, URI start, Map<String, String> headers,
                            int maxBody, boolean strict) {
        long started = System.nanoTime();
        try {
            Result result = follow(name, method, upstream, start, headers, maxBody, strict);
            metrics.request(name, UpstreamOutcome.ofStatus(result.status()), since(started));
            return result;
        } catch (UpstreamDestinationRefused e) {
            metrics.request(name, UpstreamOutcome.REFUSED, since(started));
            throw e;
        } catch (UpstreamException e) {
            metrics.request(name, e.getCause() instanceof InterruptedIOException ? UpstreamOutcome.TIMEOUT
                    : UpstreamOutcome.FAILED, since(started));
            throw e;
        }
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private Result follow(String name, String method, Origin upstream, URI start, Map<String, String> headers,
                          int maxBody, boolean strict) {
        URI uri = start;
        Map<String, String> current = headers;
        for (int hop = 0; ; hop++) {
            Destination destination = destinations.check(uri, upstream);
            Result result = send(method, destination, upstream, current, maxBody, strict);
            metrics.answer(name, result.header(UpstreamRateLimit.LIMIT_HEADER),
                    result.header(UpstreamRateLimit.REMAINING_HEADER));
            String location = result.header("Location");
            if (!OutboundRedirects.isRedirect(result.status()) || location == null
                    || hop >= OutboundRedirects.MAX_HOPS) {
                return result;
            }
            URI next;
            try {
                next = OutboundRedirects.target(uri, location);
            } catch (OutboundRefused e) {
                throw destinations.refused(e);
            }
            current = OutboundCredentials.forRedirect(uri, next, current);
            uri = next;
        }
    }

    private Result send(String method, Destination destination, Origin upstream, Map<String, String> headers,
                        int maxBody, boolean strict) {
        URI uri = destination.uri();
        // identity: OkHttp would otherwise ask for gzip itself, and then drop Content-Length from answers
        Request.Builder request = new Request.Builder().url(uri.toString()).method(method, null)
                .header("Accept-Encoding", "identity");
        headers.forEach(request::header);
        Call call = clients.clientFor(destination, upstream).newCall(request.build());
        try (Response response = call.execute()) {
            Map<String, List<String>> answerHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            answerHeaders.putAll(response.headers().toMultimap());
            String body = "HEAD".equals(method) || OutboundRedirects.isRedirect(response.code()) ? ""
                    : BoundedText.read(call, response.body().source(), maxBody, strict);
            if (body == null) {
                throw new UpstreamException(method + " " + redact(uri) + " answered more than " + maxBody + " bytes");
            }
            return new Result(response.code(), answerHeaders, body);
        } catch (InterruptedIOException e) {
            throw new UpstreamException(method + " " + redact(uri) + " timed out", e);
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UpstreamException(method + " " + redact(uri) + " failed: " + reason, e);
        }
    }

    /** URLs without their query (presigned CDN URLs carry signatures). */
    static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath();
    }
}
