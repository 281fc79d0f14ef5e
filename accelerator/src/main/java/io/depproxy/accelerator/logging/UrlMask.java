package io.depproxy.accelerator.logging;

/** URLs as they may appear in logs: presigned URLs carry their signature in the query string. */
public final class UrlMask {
    private UrlMask() {
    }

    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?[masked]";
    }
}
