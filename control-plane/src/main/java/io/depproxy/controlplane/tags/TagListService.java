package io.depproxy.controlplane.tags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.depproxy.contracts.ContractJson;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.controlplane.cache.UpstreamAnswers;
import io.depproxy.controlplane.config.HotPathConfig;
import io.depproxy.controlplane.domain.CachedManifest;
import io.depproxy.controlplane.domain.ManifestRepository;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.support.ShortLivedCache;
import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.controlplane.upstream.UpstreamAccessRefused;
import io.depproxy.controlplane.upstream.UpstreamClient;
import io.depproxy.controlplane.upstream.UpstreamException;
import io.depproxy.controlplane.upstream.UpstreamHttp;
import io.depproxy.controlplane.upstream.UpstreamRouting;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code …/<image>/tags/list} of a repository the group has cached: a page of the upstream that served it, with its
 * pagination ({@code n}, {@code last}, and a {@code Link} to the next page, on our path). A page is answered from
 * memory for {@code DP_TAGS_CACHE_TTL}; when the upstream fails, the last good page is answered, marked stale.
 */
@ApplicationScoped
public class TagListService {
    static final int MAX_PAGE = 10_000;
    private static final int MAX_PAGES_KEPT = 10_000;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");

    @Inject
    ManifestRepository manifests;
    @Inject
    UpstreamRouting routing;
    @Inject
    UpstreamClient upstream;
    @Inject
    HotPathConfig config;

    private ShortLivedCache<Key, TagPage> fresh;
    private final Map<Key, TagPage> lastGood = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, TagPage> eldest) {
            return size() > MAX_PAGES_KEPT;
        }
    });

    private record Key(long groupId, long upstreamId, String name, String n, String last) {
    }

    /** A page: the JSON body and the query of the next page ({@code n=…&last=…}), or null on the last one. */
    public record TagPage(String body, String nextQuery, boolean stale) {
        TagPage asStale() {
            return new TagPage(body, nextQuery, true);
        }
    }

    @PostConstruct
    void createCache() {
        fresh = new ShortLivedCache<>(config.tagsCacheTtl(), MAX_PAGES_KEPT);
    }

    /** {@code n} and {@code last}: the client's query values, or null. */
    public TagPage list(RegistryRequest request, PullTarget target, String n, String last) {
        validate(n, last);
        CachedManifest cached = manifests.newestOfImage(target.groupId(), request.image()).orElseThrow(() ->
                RegistryException.nameUnknown("repository " + request.image() + " is not cached in this group"));
        UpstreamRouting.Candidate candidate = routing.servedBy(cached.getUpstreamId(), request.image(), target).first();
        Key key = new Key(target.groupId(), candidate.endpoint().id(), candidate.name(), n, last);
        Optional<TagPage> remembered = fresh.get(key);
        if (remembered.isPresent()) {
            return remembered.get();
        }
        UpstreamHttp.Result result;
        try {
            result = upstream.tags(candidate.endpoint(), candidate.name(), query(n, last), candidate.credentials());
        } catch (UpstreamException e) {
            return staleOr(key, e instanceof UpstreamAccessRefused ? UpstreamAnswers.refused(e.getMessage())
                    : UpstreamAnswers.unavailable(e));
        }
        if (result.status() == 200) {
            TagPage page = page(request.image(), tags(result.body()), nextQuery(result.header("Link")), n, last);
            fresh.put(key, page);
            lastGood.put(key, page);
            return page;
        }
        if (result.status() == 404) {
            throw RegistryException.nameUnknown("the upstream has no repository " + candidate.name());
        }
        if (UpstreamAccessRefused.isRefusal(result.status())) {
            throw UpstreamAnswers.refused("upstream tags/list of " + candidate.name() + " answered " + result.status());
        }
        int status = result.status() == 429 ? 429 : 503;
        return staleOr(key, new RegistryException(RegistryErrorCode.forStatus(status), status,
                "upstream tags/list answered " + result.status()));
    }

    private TagPage staleOr(Key key, RegistryException failure) {
        TagPage page = lastGood.get(key);
        if (page == null) {
            throw failure;
        }
        return page.asStale();
    }

    private static void validate(String n, String last) {
        if (n != null && (!NUMBER.matcher(n).matches() || Integer.parseInt(n) < 1 || Integer.parseInt(n) > MAX_PAGE)) {
            throw new RegistryException(RegistryErrorCode.PAGINATION_NUMBER_INVALID,
                    "n must be a number from 1 to " + MAX_PAGE);
        }
        if (last != null && !TAG.matcher(last).matches()) {
            throw new RegistryException(RegistryErrorCode.PAGINATION_NUMBER_INVALID, "last must be a tag");
        }
    }

    private static String query(String n, String last) {
        StringBuilder query = new StringBuilder();
        if (n != null) {
            query.append("n=").append(n);
        }
        if (last != null) {
            query.append(query.isEmpty() ? "" : "&").append("last=").append(URLEncoder.encode(last, StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    /** The upstream's tags (valid ones; anything else it sent is left out). */
    private static List<String> tags(String upstreamBody) {
        JsonNode tags;
        try {
            JsonNode root = ContractJson.mapper().readTree(upstreamBody == null ? "" : upstreamBody);
            tags = root == null ? null : root.get("tags");
        } catch (IOException e) {
            throw RegistryException.unavailable("the upstream's tag list is not JSON");
        }
        List<String> list = new ArrayList<>();
        if (tags != null && tags.isArray()) {
            tags.forEach(tag -> {
                if (tag.isTextual() && TAG.matcher(tag.asText()).matches()) {
                    list.add(tag.asText());
                }
            });
        }
        return list;
    }

    /**
     * Our page: the client's repository name and the tags. An upstream that ignores {@code n} (CNCF distribution 2.x
     * answers every tag) or {@code last} is paginated here as the spec says: lexical order, tags after {@code last},
     * at most n.
     */
    static TagPage page(String image, List<String> tags, String upstreamNext, String n, String last) {
        List<String> shown = tags;
        String next = upstreamNext;
        int limit = n == null ? Integer.MAX_VALUE : Integer.parseInt(n);
        boolean ignored = tags.size() > limit || last != null && tags.stream().anyMatch(tag -> tag.compareTo(last) <= 0);
        if (ignored) {
            List<String> after = tags.stream().sorted().filter(tag -> last == null || tag.compareTo(last) > 0).toList();
            shown = after.subList(0, Math.min(limit, after.size()));
            next = shown.size() < after.size() ? query(n, shown.get(shown.size() - 1)) : null;
        }
        ObjectNode answer = ContractJson.mapper().createObjectNode().put("name", image);
        ArrayNode list = answer.putArray("tags");
        shown.forEach(list::add);
        return new TagPage(answer.toString(), next, false);
    }

    /** The {@code n} and {@code last} of the upstream's next-page link (valid ones only), or null. */
    static String nextQuery(String link) {
        if (link == null) {
            return null;
        }
        Matcher matcher = NEXT_LINK.matcher(link);
        if (!matcher.find()) {
            return null;
        }
        String rawQuery;
        try {
            rawQuery = URI.create(matcher.group(1).trim()).getRawQuery();
        } catch (IllegalArgumentException e) {
            return null;
        }
        String n = null;
        String last = null;
        for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            switch (pair.substring(0, equals)) {
                case "n" -> n = NUMBER.matcher(value).matches() ? value : null;
                case "last" -> last = TAG.matcher(value).matches() ? value : null;
                default -> { }
            }
        }
        return last == null ? null : query(n, last);
    }
}
