package dev.slipway.upload.webhooks;

import java.net.URI;

/**
 * A webhook URL as logs and listings show it: {@code scheme://host[:port]/…}. Paths, queries and
 * user info often hold the receiver's token, so only the sealed URL keeps them.
 */
final class RedactedUrl {

    private RedactedUrl() {
    }

    static String of(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "…";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + "/…";
        } catch (IllegalArgumentException unreadable) {
            return "…";
        }
    }
}
