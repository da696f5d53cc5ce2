package dev.slipway.testsupport.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Requests to a routed app as a browser sends them: to the router's address with the app's host
 * name in {@code Host} (Java does not resolve {@code *.localhost}; the JVM needs
 * {@code -Djdk.httpclient.allowRestrictedHeaders=host}, which the build sets for tests).
 */
public final class Routed {

    public record Answer(int status, String body) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Routed() {
    }

    /** {@code url} as the router reports it, e.g. {@code http://site.localhost:8888/docs}. */
    public static Answer get(String url) throws IOException, InterruptedException {
        URI routed = URI.create(url);
        int port = routed.getPort() < 0 ? 80 : routed.getPort();
        URI direct = URI.create("http://127.0.0.1:" + port + (routed.getRawPath().isEmpty() ? "/" : routed.getRawPath())
                + (routed.getRawQuery() == null ? "" : "?" + routed.getRawQuery()));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(direct)
                .header("Host", routed.getHost() + ":" + port).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }
}
