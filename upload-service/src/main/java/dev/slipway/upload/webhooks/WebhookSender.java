package dev.slipway.upload.webhooks;

import dev.slipway.events.kafka.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** One HTTP attempt: an event in the CloudEvents structured mode, signed, POSTed to the subscription's URL. */
class WebhookSender {

    static final String SUBSCRIPTION_HEADER = "X-Slipway-Subscription";

    /** What one attempt got: a status code, or none and an error when no answer came. */
    record Attempt(Integer statusCode, String error) {

        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }

        /** A failure that says the target is down or overloaded, rather than that it refuses this event. */
        boolean targetInTrouble() {
            return statusCode == null || statusCode >= 500 || statusCode == 429;
        }
    }

    private final HttpClient http;
    private final Duration timeout;
    private final WebhookTargets targets;

    WebhookSender(Duration timeout, WebhookTargets targets) {
        this.timeout = timeout;
        this.targets = targets;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The attempt under way; cancelling the future aborts the exchange. */
    CompletableFuture<Attempt> send(Subscription subscription, String secret, byte[] body) {
        var refused = targets.refusal(URI.create(subscription.url()));
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(new Attempt(null, "not sent: " + refused.get()));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(subscription.url())).timeout(timeout)
                .header("Content-Type", EventCodec.STRUCTURED_JSON)
                .header(WebhookSignature.HEADER, WebhookSignature.of(secret, body))
                .header(SUBSCRIPTION_HEADER, subscription.id())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request,
                HttpResponse.BodyHandlers.discarding());
        CompletableFuture<Attempt> attempt = exchange.handle((response, error) -> error == null
                ? answered(response.statusCode()) : unanswered(error));
        attempt.whenComplete((done, error) -> {
            if (error instanceof CancellationException) {
                exchange.cancel(true);
            }
        });
        return attempt;
    }

    private static Attempt answered(int status) {
        return new Attempt(status, status >= 200 && status < 300 ? null : "the target answered " + status);
    }

    private static Attempt unanswered(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return new Attempt(null, cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }
}
