package dev.slipway.upload.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.auth.Caller;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook subscriptions: create, list, show, delete, and how their deliveries went. A caller sees
 * the subscriptions of its namespaces; those for all namespaces only admins see. One that is not
 * visible answers 404, as if it did not exist.
 */
@RestController
class SubscriptionsController {

    private final SubscriptionStore subscriptions;
    private final NewSubscriptions newSubscriptions;
    private final DeliveryLog deliveries;

    SubscriptionsController(SubscriptionStore subscriptions, NewSubscriptions newSubscriptions,
                            DeliveryLog deliveries) {
        this.subscriptions = subscriptions;
        this.newSubscriptions = newSubscriptions;
        this.deliveries = deliveries;
    }

    /**
     * A subscription as the API shows it: the URL redacted, never the secret, except a secret the
     * service made, once, in the answer that creates it.
     */
    record SubscriptionView(String id, String url, List<String> types, String namespace, String app, String from,
                            Instant createdAt, @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

        static SubscriptionView of(Subscription subscription) {
            return new SubscriptionView(subscription.id(), subscription.redactedUrl(), subscription.types(),
                    subscription.namespace(), subscription.app(), subscription.from(), subscription.createdAt(), null);
        }
    }

    @PostMapping("/api/v1/subscriptions")
    ResponseEntity<SubscriptionView> create(@RequestBody SubscriptionRequest request, Caller caller) {
        NewSubscriptions.Created created = newSubscriptions.create(request, caller);
        Subscription subscription = created.subscription();
        return ResponseEntity.status(HttpStatus.CREATED).body(new SubscriptionView(subscription.id(),
                subscription.redactedUrl(), subscription.types(), subscription.namespace(), subscription.app(),
                subscription.from(), subscription.createdAt(), created.madeSecret()));
    }

    @GetMapping("/api/v1/subscriptions")
    List<SubscriptionView> list(Caller caller) {
        return subscriptions.list(subscription -> visible(subscription, caller)).stream()
                .map(SubscriptionView::of).toList();
    }

    @GetMapping("/api/v1/subscriptions/{id}")
    SubscriptionView show(@PathVariable String id, Caller caller) {
        return SubscriptionView.of(visible(id, caller));
    }

    @DeleteMapping("/api/v1/subscriptions/{id}")
    ResponseEntity<Void> delete(@PathVariable String id, Caller caller) {
        subscriptions.delete(visible(id, caller).id());
        return ResponseEntity.noContent().build();
    }

    /** Newest last; the latest state of each event's delivery. */
    @GetMapping("/api/v1/subscriptions/{id}/deliveries")
    List<Delivery> deliveries(@PathVariable String id, Caller caller) {
        return deliveries.of(visible(id, caller).id());
    }

    private Subscription visible(String id, Caller caller) {
        return subscriptions.find(id).filter(subscription -> visible(subscription, caller))
                .orElseThrow(() -> ApiException.notFound("no subscription " + id + "; GET /api/v1/subscriptions "
                        + "lists yours"));
    }

    private static boolean visible(Subscription subscription, Caller caller) {
        return subscription.namespace() == null ? caller.admin() : caller.canAccess(subscription.namespace());
    }
}
