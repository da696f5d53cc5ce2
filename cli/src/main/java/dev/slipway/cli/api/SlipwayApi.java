package dev.slipway.cli.api;

import dev.slipway.cli.CliException;
import dev.slipway.cli.config.CliConfig;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventJson;
import dev.slipway.events.kafka.EventCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BiPredicate;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Slipway's HTTP API, with the user's credentials (a CLI token as Bearer, or the user and password
 * of an older config file as Basic); every failure becomes one clear message and exit code.
 */
public class SlipwayApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final CliConfig config;
    private final String authorization;

    public SlipwayApi(CliConfig config) {
        this.config = config;
        this.authorization = config.hasToken() ? "Bearer " + config.token()
                : basic(config.username(), config.password());
    }

    private static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    public JsonNode get(String path) {
        return send(request(path).GET());
    }

    public JsonNode post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(EventJson.mapper().writeValueAsBytes(body))));
    }

    public JsonNode patch(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(EventJson.mapper().writeValueAsBytes(body))));
    }

    public JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    /** 404 answered as empty rather than as an error: for "does it exist?" questions. */
    public java.util.Optional<JsonNode> find(String path) {
        try {
            return java.util.Optional.of(get(path));
        } catch (ApiError error) {
            if (error.status() == 404) {
                return java.util.Optional.empty();
            }
            throw error;
        }
    }

    /** Streams {@code file} as multipart field {@code file}; {@code progress} hears the bytes sent so far. */
    public JsonNode upload(String path, Path file, LongConsumer progress) {
        MultipartFile body = new MultipartFile("file", file, progress);
        return send(request(path).header("Content-Type", body.contentType()).POST(body.publisher()));
    }

    /**
     * Reads a Server-Sent Events stream of CloudEvents until the server ends it or {@code handler}
     * answers false; returns the last event seen.
     */
    public Event<EventData> follow(String path, Predicate<Event<EventData>> handler) {
        @SuppressWarnings("unchecked")
        Event<EventData>[] last = new Event[1];
        stream(path, "'slipway events <push id> --follow'", (name, data) -> {
            last[0] = EventCodec.fromStructuredJson(data.getBytes(StandardCharsets.UTF_8));
            return handler.test(last[0]);
        });
        return last[0];
    }

    /**
     * Reads a Server-Sent Events stream until the server ends it or {@code handler} answers false:
     * each event's name (null when it has none) and data; comment lines are skipped. {@code again}
     * says how to pick a broken stream up again.
     */
    public void stream(String path, String again, BiPredicate<String, String> handler) {
        HttpRequest request = request(path).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", CliException.FAILED);
        }
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                throw ApiError.of(response.statusCode(), body.readAllBytes(), config);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String name = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                } else if (line.startsWith("event:")) {
                    name = line.substring(line.startsWith("event: ") ? 7 : 6);
                } else if (line.isEmpty()) {
                    if (!data.isEmpty() && !handler.test(name, data.toString())) {
                        break;
                    }
                    data.setLength(0);
                    name = null;
                }
            }
        } catch (IOException e) {
            throw new CliException("the stream from " + config.server() + " broke off (" + e.getMessage()
                    + "); pick it up again with " + again);
        }
    }

    public String server() {
        return config.server();
    }

    public String namespace() {
        return config.namespace();
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        try {
            return HttpRequest.newBuilder(URI.create(config.server().replaceAll("/+$", "") + path))
                    .header("Authorization", authorization);
        } catch (IllegalArgumentException invalid) {
            throw CliException.usage("the server address '" + config.server() + "' is not a URL; run 'slipway login "
                    + "<url>' again");
        }
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", CliException.FAILED);
        }
        if (response.statusCode() >= 400) {
            throw ApiError.of(response.statusCode(), response.body(), config);
        }
        byte[] body = response.body();
        return body.length == 0 ? EventJson.mapper().createObjectNode() : EventJson.mapper().readTree(body);
    }

    private CliException unreachable(IOException e) {
        String why = e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                ? "nothing answers there" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new CliException("cannot reach the Slipway server at " + config.server() + " (" + why
                + "); is it running? Check the address with 'slipway login <url>'", CliException.UNREACHABLE);
    }
}
