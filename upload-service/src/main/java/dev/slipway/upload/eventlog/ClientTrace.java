package dev.slipway.upload.eventlog;

import dev.slipway.events.TraceContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import java.util.List;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The W3C trace of the API request that starts a push: a push continues the trace its client sent in a
 * valid {@code traceparent} header (its first event a child of the client's span) and starts a new one
 * otherwise (no header, a malformed one, or several); the answer names the push's span in its own
 * {@code traceparent} header. Outside an HTTP request (nothing to continue, no one to answer) both do nothing.
 */
final class ClientTrace {

    private ClientTrace() {
    }

    /** The client's span, when the current request sent exactly one valid {@code traceparent}; else null. */
    static TraceContext ofCurrentRequest() {
        HttpServletRequest request = currentRequest();
        if (request == null) {
            return null;
        }
        List<String> traceparents = Collections.list(request.getHeaders(TraceContext.TRACEPARENT));
        if (traceparents.size() != 1) {
            return null;
        }
        // several tracestate headers are one list, joined in their order
        String tracestate = String.join(",", Collections.list(request.getHeaders(TraceContext.TRACESTATE)));
        return TraceContext.parse(traceparents.get(0), tracestate.isEmpty() ? null : tracestate).orElse(null);
    }

    /** Answers the push's trace to the client of the current request. */
    static void answer(TraceContext push) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet && servlet.getResponse() != null) {
            HttpServletResponse response = servlet.getResponse();
            response.setHeader(TraceContext.TRACEPARENT, push.traceparent());
            if (push.traceState() != null) {
                response.setHeader(TraceContext.TRACESTATE, push.traceState());
            }
        }
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet
                ? servlet.getRequest() : null;
    }
}
