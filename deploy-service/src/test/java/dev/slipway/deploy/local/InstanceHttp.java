package dev.slipway.deploy.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What a local instance answers at its endpoint ({@code host:port}), as the router would ask it. */
final class InstanceHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private InstanceHttp() {
    }

    /** The body of {@code GET /}, stripped. */
    static String get(String endpoint) throws IOException, InterruptedException {
        return get(endpoint, "/");
    }

    static String get(String endpoint, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()).body().strip();
    }

    /** Whether anything answers at {@code endpoint} now. */
    static boolean answers(String endpoint) {
        try {
            get(endpoint);
            return true;
        } catch (IOException | InterruptedException refused) {
            return false;
        }
    }
}
