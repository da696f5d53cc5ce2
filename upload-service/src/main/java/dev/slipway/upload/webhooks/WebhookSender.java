package dev.slipway.upload.webhooks;

import dev.slipway.events.TraceContext;
import dev.slipway.events.kafka.EventCodec;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * One HTTP attempt: an event in the CloudEvents structured mode, signed the Standard Webhooks way,
 * POSTed to the subscription's URL. Attempts of all subscriptions share one bounded pool of
 * connections and threads ({@code slipway.webhooks.max-concurrent-deliveries}); each has one
 * deadline for all of it, the answer's body included, so a target that trickles its answer is cut
 * off; at most {@code max-response-size} of an answer is read. The client connects only to
 * addresses that {@link WebhookTargets} checked on this attempt, opens a new connection each time
 * (a pooled one would skip the check), follows no redirect and uses no proxy.
 */
class WebhookSender implements AutoCloseable {

    static final String SUBSCRIPTION_HEADER = "X-Slipway-Subscription";
    private static final MediaType CLOUDEVENTS_JSON = MediaType.get(EventCodec.STRUCTURED_JSON);

    /** What one attempt got: a status code, or none and an error when no whole answer came in time. */
    record Attempt(Integer statusCode, String error) {

        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }

        /** A failure that says the target is down or overloaded, rather than that it refuses this event. */
        boolean targetInTrouble() {
            return statusCode == null || statusCode >= 500 || statusCode == 429;
        }
    }

    private final OkHttpClient http;
    private final Duration timeout;
    private final long maxResponseBytes;
    private final ExecutorService threads;

    WebhookSender(Duration timeout, long maxResponseBytes, int maxConcurrent, WebhookTargets targets) {
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        AtomicInteger count = new AtomicInteger();
        // the dispatcher bounds how many run at once; the threads it asks for only idle out
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "webhook-delivery-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        Dispatcher dispatcher = new Dispatcher(threads);
        dispatcher.setMaxRequests(maxConcurrent);
        dispatcher.setMaxRequestsPerHost(maxConcurrent);
        this.http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .proxy(Proxy.NO_PROXY)
                .dns(targets::checkedAddresses)
                .socketFactory(new CheckedSockets(targets.policy()))
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .callTimeout(timeout)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .build();
    }

    /**
     * The attempt under way; cancelling the future aborts the exchange. The request carries the event's W3C
     * {@code traceparent} (and {@code tracestate}), so a receiver that traces joins the push's trace.
     */
    CompletableFuture<Attempt> send(String subscriptionId, String url, String secret, String eventId,
                                    TraceContext trace, byte[] body) {
        long timestamp = Instant.now().getEpochSecond();
        Request request;
        try {
            Request.Builder builder = new Request.Builder().url(url);
            if (trace != null) {
                builder.header(TraceContext.TRACEPARENT, trace.traceparent());
                if (trace.traceState() != null) {
                    builder.header(TraceContext.TRACESTATE, trace.traceState());
                }
            }
            request = builder
                    .header(WebhookSignature.ID_HEADER, eventId)
                    .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, eventId, timestamp, body))
                    .header(SUBSCRIPTION_HEADER, subscriptionId)
                    .header("Connection", "close")
                    .post(RequestBody.create(body, CLOUDEVENTS_JSON))
                    .build();
        } catch (IllegalArgumentException unusable) {
            return CompletableFuture.completedFuture(new Attempt(null, "not sent: the URL is not usable"));
        }
        Call call = http.newCall(request);
        long started = System.nanoTime();
        CompletableFuture<Attempt> attempt = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call failed, IOException error) {
                attempt.complete(unanswered(error, url, started));
            }

            @Override
            public void onResponse(Call answered, Response response) {
                attempt.complete(read(answered, response, url, started));
            }
        });
        attempt.whenComplete((done, error) -> {
            if (attempt.isCancelled()) {
                call.cancel();
            }
        });
        return attempt;
    }

    /** Reads at most the cap of the body, within the call's deadline: only a whole answer in time counts. */
    private Attempt read(Call call, Response response, String url, long started) {
        int status = response.code();
        try (ResponseBody body = response.body()) {
            if (body.source().request(maxResponseBytes + 1)) {
                // more than the cap came: cut the connection, lest closing the body read on to reuse it
                call.cancel();
            }
        } catch (IOException cut) {
            return unanswered(cut, url, started);
        }
        return new Attempt(status, status >= 200 && status < 300 ? null : "the target answered " + status);
    }

    private Attempt unanswered(IOException error, String url, long started) {
        RefusedTarget refused = refusal(error);
        if (refused != null) {
            return new Attempt(null, "not sent: " + refused.getMessage());
        }
        if (error instanceof InterruptedIOException && "timeout".equals(error.getMessage())
                || System.nanoTime() - started >= timeout.toNanos()) {
            return new Attempt(null, "no whole answer within the deadline of " + timeout.toMillis() + " ms");
        }
        String message = error.getMessage() == null ? "" : ": " + error.getMessage().replace(url, RedactedUrl.of(url));
        return new Attempt(null, error.getClass().getSimpleName() + message);
    }

    private static RefusedTarget refusal(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RefusedTarget refused) {
                return refused;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (suppressed instanceof RefusedTarget refused) {
                    return refused;
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
