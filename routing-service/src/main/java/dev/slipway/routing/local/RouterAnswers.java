package dev.slipway.routing.local;

import dev.slipway.events.AppRef;
import dev.slipway.events.EventJson;
import java.util.List;

/**
 * What the router answers when it does not pass a request on: the API's error shape,
 * {@code {"errors":[{"status","title","details"}]}}. Text from the request (a host name) is JSON-escaped,
 * and {@code <}, {@code >} and {@code &} are too, so no body reads as markup even where it is shown as HTML.
 */
final class RouterAnswers {

    private RouterAnswers() {
    }

    record Answer(int status, String body) {
    }

    private record Error(int status, String title, String details) {
    }

    private record Errors(List<Error> errors) {
    }

    /** No route matches the host and path. */
    static Answer noApp(String host, int routerPort) {
        return answer(404, "no app here", "no app is routed at " + host + "; push one with: slipway push --name "
                + "<app> (it answers at http://<app>.localhost:" + routerPort + "/)");
    }

    /** The app is routed, but has no instance to send to. */
    static Answer noInstance(AppRef app) {
        return answer(503, "no instance running", "app " + app + " has no running instance (scaled to zero?); "
                + "start one with: slipway apps scale " + app.name() + " 1 -n " + app.namespace());
    }

    /** The app's instances did not take the request (all down: crashed past their restarts, or stopped). */
    static Answer notAnswering(int status, AppRef app) {
        return answer(status, "app not answering", "app " + app + " did not answer"
                + (status == 504 ? " in time" : ": its instances are down") + "; see why with: slipway apps show "
                + app.name() + " -n " + app.namespace() + ", and slipway logs " + app.name() + " -n " + app.namespace());
    }

    /** Any other refusal (a malformed request, a failure of the router): no detail of the request echoed. */
    static Answer other(int status, String reason) {
        return answer(status, reason == null || reason.isBlank() ? "error" : reason, "the router could not pass this "
                + "request on");
    }

    private static Answer answer(int status, String title, String details) {
        String json = EventJson.mapper().writeValueAsString(new Errors(List.of(new Error(status, title, details))));
        // these characters only occur inside strings here, where \\u escapes mean the same
        return new Answer(status, json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"));
    }
}
