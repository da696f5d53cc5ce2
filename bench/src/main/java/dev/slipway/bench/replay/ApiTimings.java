package dev.slipway.bench.replay;

import dev.slipway.events.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Times the two reads a replica serves from its read models, one request at a time as the admin
 * (with a signed token, so the password check is not part of the time): a push by id and an audit
 * page of one namespace. Every answer is checked, so a replica that answers fast but wrong fails.
 * Tokens live 30 s by default: a new one is fetched, untimed, well before the last one expires.
 */
final class ApiTimings {

    private static final Duration TOKEN_RENEWAL = Duration.ofSeconds(15);

    private final HttpClient http;
    private final Function<String, URI> uri;
    private final String basic;
    private final Random random;
    private String token;
    private long tokenIssued;

    private ApiTimings(HttpClient http, Function<String, URI> uri, String basic, long seed) {
        this.http = http;
        this.uri = uri;
        this.basic = basic;
        this.random = new Random(seed);
    }

    static ApiTimings as(Replica replica, String username, String password, long seed)
            throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        ApiTimings timings = new ApiTimings(replica.http(), replica::uri, basic, seed);
        timings.renewToken();
        return timings;
    }

    private void renewToken() throws IOException, InterruptedException {
        long issued = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri.apply("/api/v1/authtoken"))
                .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("no token for the admin: " + response.statusCode() + " " + response.body());
        }
        token = EventJson.mapper().readTree(response.body()).path("token").asString();
        tokenIssued = issued;
    }

    /** {@code GET /api/v1/pushes/{id}} of random known pushes, each of which must be online with its events. */
    Percentiles pushes(List<String> pushIds, int warmUp, int requests, int eventsPerPush)
            throws IOException, InterruptedException {
        double[] millis = new double[requests];
        for (int i = -warmUp; i < requests; i++) {
            freshToken();
            String pushId = pushIds.get(random.nextInt(pushIds.size()));
            long started = System.nanoTime();
            JsonNode push = get("/api/v1/pushes/" + pushId);
            double took = (System.nanoTime() - started) / 1e6;
            if (!pushId.equals(push.path("id").asString()) || !"online".equals(push.path("state").asString())
                    || push.path("events").size() != eventsPerPush) {
                throw new IllegalStateException("push " + pushId + " is not as written: " + push);
            }
            if (i >= 0) {
                millis[i] = took;
            }
        }
        return Percentiles.of(millis);
    }

    /** {@code GET /api/v1/events?namespace=<ns>&limit=<limit>} of random namespaces; each page must be full. */
    Percentiles auditPages(List<String> namespaces, int limit, int warmUp, int requests)
            throws IOException, InterruptedException {
        double[] millis = new double[requests];
        for (int i = -warmUp; i < requests; i++) {
            freshToken();
            String namespace = namespaces.get(random.nextInt(namespaces.size()));
            long started = System.nanoTime();
            JsonNode page = get("/api/v1/events?namespace=" + namespace + "&limit=" + limit);
            double took = (System.nanoTime() - started) / 1e6;
            if (!page.isArray() || page.size() != limit
                    || !namespace.equals(page.path(0).path("namespace").asString())) {
                throw new IllegalStateException("the audit page of " + namespace + " is not " + limit + " of its events: "
                        + abbreviated(page));
            }
            if (i >= 0) {
                millis[i] = took;
            }
        }
        return Percentiles.of(millis);
    }

    private void freshToken() throws IOException, InterruptedException {
        if (System.nanoTime() - tokenIssued > TOKEN_RENEWAL.toNanos()) {
            renewToken();
        }
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri.apply(pathAndQuery))
                .timeout(Duration.ofMinutes(2)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + pathAndQuery + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return EventJson.mapper().readTree(response.body());
    }

    private static String abbreviated(JsonNode node) {
        String text = node.toString();
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }
}
