package io.depproxy.controlplane.web;

import io.depproxy.controlplane.domain.GroupStatisticsRepository;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The statistics chart, drawn on the server as inline SVG: one stacked bar a day, bytes served from the cache over
 * bytes fetched from the upstream. Only numbers and dates go into it, so it is safe to insert unescaped. It is drawn in
 * its own coordinates ({@code viewBox}) and takes the page's width ({@code width="100%"}, the height follows the
 * aspect ratio), so it fits a narrow window and fills a wide one.
 */
final class StatisticsChart {
    static final String CACHE_COLOUR = "#2e7d32";
    static final String UPSTREAM_COLOUR = "#9e9e9e";
    /** The drawing's own units, about the page's width so that its labels show at about the page's font size. */
    private static final int WIDTH = 960;
    private static final int HEIGHT = 180;
    private static final int LEFT = 70;
    private static final int BOTTOM = 24;
    private static final int TOP = 10;

    private StatisticsChart() {
    }

    static String svg(List<GroupStatisticsRepository.Day> recorded, LocalDate today, int days) {
        Map<LocalDate, GroupStatisticsRepository.Counters> byDay = recorded.stream()
                .collect(Collectors.toMap(GroupStatisticsRepository.Day::day, GroupStatisticsRepository.Day::counters));
        LocalDate first = today.minusDays(days - 1L);
        long max = Math.max(1, recorded.stream().mapToLong(d -> total(d.counters())).max().orElse(0));
        double slot = (double) (WIDTH - LEFT) / days;
        double plot = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                + "width=\"100%%\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-labelledby=\"chart-title\">",
                WIDTH, HEIGHT));
        svg.append("<title id=\"chart-title\">Bytes served from the cache and fetched upstream per day, last ")
                .append(days).append(" days</title>");
        axis(svg, max, plot);
        for (int i = 0; i < days; i++) {
            LocalDate day = first.plusDays(i);
            GroupStatisticsRepository.Counters counters = byDay.getOrDefault(day, GroupStatisticsRepository.Counters.ZERO);
            double x = LEFT + i * slot + 1;
            double cacheHeight = plot * counters.bytesServedFromCache() / max;
            double upstreamHeight = plot * counters.bytesFetchedUpstream() / max;
            double base = HEIGHT - BOTTOM;
            svg.append("<g><title>").append(day).append(": ").append(Formats.bytes(counters.bytesServedFromCache()))
                    .append(" from cache, ").append(Formats.bytes(counters.bytesFetchedUpstream()))
                    .append(" upstream</title>");
            bar(svg, x, base - cacheHeight, slot - 2, cacheHeight, CACHE_COLOUR);
            bar(svg, x, base - cacheHeight - upstreamHeight, slot - 2, upstreamHeight, UPSTREAM_COLOUR);
            svg.append("</g>");
        }
        label(svg, LEFT, HEIGHT - 6, "start", first.toString());
        label(svg, WIDTH, HEIGHT - 6, "end", today.toString());
        return svg.append("</svg>").toString();
    }

    private static void axis(StringBuilder svg, long max, double plot) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>",
                LEFT - 2, HEIGHT - BOTTOM, WIDTH, HEIGHT - BOTTOM));
        label(svg, LEFT - 6, TOP + 10, "end", Formats.bytes(max));
        label(svg, LEFT - 6, (int) (TOP + plot), "end", "0");
    }

    private static void bar(StringBuilder svg, double x, double y, double width, double height, String colour) {
        if (height > 0) {
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                    x, y, Math.max(1, width), height, colour));
        }
    }

    private static void label(StringBuilder svg, int x, int y, String anchor, String text) {
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"11\" fill=\"#333\">%s</text>",
                x, y, anchor, text));
    }

    private static long total(GroupStatisticsRepository.Counters counters) {
        return counters.bytesServedFromCache() + counters.bytesFetchedUpstream();
    }
}
