package dev.slipway.routing.local;

import dev.slipway.events.AppRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The router's errors in the API's JSON shape instead of Jetty's HTML page: above all the 502 (504 on a
 * timeout) of a proxied request whose app's instances are all down, which names the app and the next step.
 */
final class RouterErrorHandler extends ErrorHandler {

    /** The request attribute naming the app a request was routed to. */
    static final String APP = RouterErrorHandler.class.getName() + ".app";

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        RouterAnswers.Answer answer = request.getAttribute(APP) instanceof AppRef app
                && (code == HttpStatus.BAD_GATEWAY_502 || code == HttpStatus.GATEWAY_TIMEOUT_504)
                ? RouterAnswers.notAnswering(code, app) : RouterAnswers.other(code, HttpStatus.getMessage(code));
        write(response, answer, callback);
    }

    /** Writes an answer as the whole response. */
    static void write(Response response, RouterAnswers.Answer answer, Callback callback) {
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(answer.body().getBytes(StandardCharsets.UTF_8)), callback);
    }
}
