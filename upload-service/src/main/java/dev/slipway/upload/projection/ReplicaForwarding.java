package dev.slipway.upload.projection;

import dev.slipway.upload.api.ApiErrors;
import dev.slipway.upload.api.LogSafe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends a request about one push to the replica whose stores hold it, after this replica has
 * authenticated the caller (it runs after the security filters) and with the caller's credentials,
 * so the holder checks the caller again. A GET the holder does not know (404) is answered here: the
 * push may be one this replica has just published and the holder not yet read.
 */
class ReplicaForwarding extends OncePerRequestFilter {

    /** The push id, in group 1, of the requests about one push. */
    private static final List<Pattern> BY_PUSH = List.of(
            Pattern.compile("/api/v1/pushes/([^/]+)(?:/events|/replay)?"),
            Pattern.compile("/api/v1/namespaces/[^/]+/applications/[^/]+/deployments/([^/]+)"),
            Pattern.compile("/api/v1/namespaces/[^/]+/staging/([^/]+)/complete"));
    /** A deploy names its stage (a push id) in the body. */
    private static final Pattern DEPLOY = Pattern.compile("/api/v1/namespaces/[^/]+/applications/[^/]+/deploy");
    private static final int MAX_DEPLOY_BODY = 64 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Projections projections;
    private final ReplicaClient replicas;

    ReplicaForwarding(Projections projections, ReplicaClient replicas) {
        this.projections = projections;
        this.replicas = replicas;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getHeader(ReplicaClient.FORWARDED) != null || projections.self().isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        String path = request.getRequestURI();
        byte[] body = null;
        String pushId = pushIdOf(path);
        if (pushId == null && "POST".equals(request.getMethod()) && DEPLOY.matcher(path).matches()) {
            byte[] start = request.getInputStream().readNBytes(MAX_DEPLOY_BODY + 1);
            // the controller reads the body again, whole, also one too large to look into here
            request = new ReplayedBody(request, start);
            body = start.length > MAX_DEPLOY_BODY ? null : start;
            pushId = body == null ? null : stageIdOf(body);
        }
        Optional<HostInfo> holder = pushId == null ? Optional.empty() : projections.remoteHolder(pushId);
        if (holder.isPresent() && body == null && "POST".equals(request.getMethod())) {
            // a replay's body (the stage, a builder image) goes along; one too large for here is answered here
            byte[] start = request.getInputStream().readNBytes(MAX_DEPLOY_BODY + 1);
            request = new ReplayedBody(request, start);
            if (start.length > MAX_DEPLOY_BODY) {
                holder = Optional.empty();
            } else {
                body = start;
            }
        }
        if (holder.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        boolean answered;
        try {
            answered = replicas.proxy(request, body, response, holder.get(), "GET".equals(request.getMethod()));
        } catch (IOException unreachable) {
            if (response.isCommitted()) {
                return;  // the holder went away in the middle of an answer (an event stream): it ends here
            }
            unavailable(response, "the replica holding push " + LogSafe.text(pushId)
                    + " did not answer; try again shortly");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!answered) {
            chain.doFilter(request, response);
        }
    }

    static String pushIdOf(String path) {
        for (Pattern pattern : BY_PUSH) {
            Matcher matcher = pattern.matcher(path);
            if (matcher.matches()) {
                return matcher.group(1);
            }
        }
        return null;
    }

    private static String stageIdOf(byte[] body) {
        try {
            JsonNode stage = JSON.readTree(body).path("stage").path("id");
            return stage.isString() ? stage.asString() : null;
        } catch (RuntimeException notJson) {
            return null;  // the controller answers the bad body
        }
    }

    private static void unavailable(HttpServletResponse response, String details) throws IOException {
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(ApiErrors.of(HttpStatus.SERVICE_UNAVAILABLE,
                "replica unavailable", details)));
    }
}
