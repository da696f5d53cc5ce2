package dev.slipway.events.spring;

import java.net.URI;

/** The CloudEvents {@code source} of the events this service produces: {@code /slipway/<service name>}. */
public record EventSource(URI uri) {

    public static EventSource forService(String serviceName) {
        return new EventSource(URI.create("/slipway/" + serviceName));
    }
}
