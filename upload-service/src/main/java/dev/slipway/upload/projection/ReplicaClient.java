package dev.slipway.upload.projection;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks another replica the caller's own request: same method, path, query, body and headers
 * (credentials included, so that replica authenticates and authorizes the caller itself), marked
 * {@value #FORWARDED} so that it answers from its own stores and never forwards again. The mark
 * grants nothing: a client that sends it only gets this replica's own part of the answer.
 */
class ReplicaClient {

    static final String FORWARDED = "X-Slipway-Forwarded";
    private static final Logger log = LoggerFactory.getLogger(ReplicaClient.class);
    /** Hop-by-hop headers and those the HTTP client sets itself. */
    private static final Set<String> NOT_COPIED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", FORWARDED.toLowerCase(Locale.ROOT),
            "http2-settings");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final Duration timeout;

    ReplicaClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** Whether the request being served came from another replica (or claims to). */
    boolean forwarded() {
        return current().map(request -> request.getHeader(FORWARDED) != null).orElse(false);
    }

    /** The other replica's part of the audit page the current request asks for. */
    Optional<AuditReader.Slice> auditPart(HostInfo replica) {
        Optional<HttpServletRequest> request = current();
        if (request.isEmpty()) {
            return Optional.empty();
        }
        try {
            HttpResponse<byte[]> answer = http.send(copy(request.get(), replica, null).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                log.warn("replica {} answered {} for its part of the audit trail", replica, answer.statusCode());
                return Optional.empty();
            }
            JsonNode events = JSON.readTree(answer.body());
            List<JsonNode> page = new java.util.ArrayList<>();
            events.forEach(page::add);
            return Optional.of(new AuditReader.Slice(page, answer.headers().firstValue("Link").isPresent()));
        } catch (IOException | RuntimeException failed) {
            log.warn("replica {} did not answer for its part of the audit trail: {}", replica, failed.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Sends {@code request} to {@code replica} and copies its answer (streamed: an event stream
     * passes each event on as it comes). False, with nothing written, when the replica answered 404
     * to a GET and {@code unless404} holds: the caller then answers itself.
     */
    boolean proxy(HttpServletRequest request, byte[] body, HttpServletResponse response, HostInfo replica,
                  boolean unless404) throws IOException, InterruptedException {
        HttpResponse<InputStream> answer = http.send(copy(request, replica, body).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream content = answer.body()) {
            if (unless404 && answer.statusCode() == 404) {
                return false;
            }
            response.setStatus(answer.statusCode());
            answer.headers().map().forEach((name, values) -> {
                if (!NOT_COPIED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(value -> response.addHeader(name, value));
                }
            });
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int read = content.read(buffer); read >= 0; read = content.read(buffer)) {
                out.write(buffer, 0, read);
                out.flush();
            }
            return true;
        }
    }

    private static HttpRequest.Builder copy(HttpServletRequest request, HostInfo replica, byte[] body) {
        String query = request.getQueryString();
        URI target = URI.create("http://" + replica.host() + ":" + replica.port() + request.getRequestURI()
                + (query == null ? "" : "?" + query));
        HttpRequest.Builder copy = HttpRequest.newBuilder(target).method(request.getMethod(),
                body == null || body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!NOT_COPIED.contains(name.toLowerCase(Locale.ROOT))) {
                Collections.list(request.getHeaders(name)).forEach(value -> copy.header(name, value));
            }
        }
        return copy.header(FORWARDED, "1");
    }

    private static Optional<HttpServletRequest> current() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? Optional.of(attributes.getRequest()) : Optional.empty();
    }
}
