package dev.slipway.upload.webhooks;

import java.net.UnknownHostException;

/**
 * A webhook target whose address is not allowed. An UnknownHostException, so the HTTP client fails
 * the attempt as it would for a name that does not resolve, before any byte is sent.
 */
final class RefusedTarget extends UnknownHostException {

    RefusedTarget(String why) {
        super(why);
    }
}
