package dev.slipway.testsupport.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Slipway's API as a client sees it: JSON over HTTP with Basic credentials, a token or a cookie. */
public final class ApiClient {

    public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        public String error() {
            return body.path("errors").path(0).path("details").asString();
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.shared();

    private final String base;
    private final String authorization;
    private final String cookie;
    private final java.util.Map<String, String> headers;

    private ApiClient(String base, String authorization, String cookie) {
        this(base, authorization, cookie, java.util.Map.of());
    }

    private ApiClient(String base, String authorization, String cookie, java.util.Map<String, String> headers) {
        this.base = base;
        this.authorization = authorization;
        this.cookie = cookie;
        this.headers = headers;
    }

    /** This client, also sending {@code name: value} on every request (a client's {@code traceparent}). */
    public ApiClient withHeader(String name, String value) {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiClient(base, authorization, cookie, java.util.Map.copyOf(more));
    }

    public static ApiClient anonymous(int port) {
        return new ApiClient("http://127.0.0.1:" + port, null, null);
    }

    public ApiClient basic(String user, String password) {
        return new ApiClient(base, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)), null);
    }

    public ApiClient bearer(String token) {
        return new ApiClient(base, "Bearer " + token, null);
    }

    public ApiClient cookie(String value) {
        return new ApiClient(base, null, value);
    }

    public Reply get(String path) {
        return send(request(path).GET());
    }

    /** A GET whose answer is not JSON (the Prometheus scrape): its text is in {@code raw().body()}. */
    public Reply getText(String path) {
        try {
            HttpResponse<String> response = HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), JSON.createObjectNode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Reply post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    public Reply delete(String path) {
        return send(request(path).DELETE());
    }

    public Reply patch(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** A multipart/form-data upload of {@code content} in field {@code field}, streamed, never held in memory. */
    public Reply upload(String path, String field, Supplier<InputStream> content) {
        MultipartUpload upload = MultipartUpload.of(field, "app.tar.gz", content);
        return send(request(path).header("Content-Type", upload.contentType()).POST(upload.body()));
    }

    /** The body of a streaming answer (Server-Sent Events), line by line, until the server ends it. */
    public java.util.stream.Stream<String> lines(String path) {
        try {
            HttpResponse<java.util.stream.Stream<String>> response = HTTP.send(request(path)
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("stream " + path + " answered " + response.statusCode() + ": "
                        + response.body().collect(java.util.stream.Collectors.joining("\n")));
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (cookie != null) {
            builder.header("Cookie", "slipway_session=" + cookie);
        }
        headers.forEach(builder::header);
        return builder;
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body() == null || response.body().isBlank()
                    ? JSON.createObjectNode() : JSON.readTree(response.body());
            return new Reply(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
