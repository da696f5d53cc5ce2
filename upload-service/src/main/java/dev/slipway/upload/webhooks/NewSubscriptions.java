package dev.slipway.upload.webhooks;

import dev.slipway.events.Names;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.api.TypeGlobs;
import dev.slipway.upload.apps.AppAccess;
import dev.slipway.upload.auth.Caller;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import okhttp3.HttpUrl;
import org.springframework.stereotype.Component;

/**
 * Turns a request into a stored subscription, refusing what could never deliver: valid names (422),
 * then namespace access (403, as for apps), then the URL and its addresses, types, start, secret and
 * the namespace's count of subscriptions (422). The URL and the secret are sealed before they are stored.
 */
@Component
class NewSubscriptions {

    static final List<String> ALL_TYPES = List.of("*");
    private static final Set<String> FROM = Set.of(Subscription.FROM_NOW, Subscription.FROM_EARLIEST);
    private static final int MAX_URL_LENGTH = 2048;

    /** A stored subscription, and the secret when the service made it (shown once, at creation). */
    record Created(Subscription subscription, String madeSecret) {
    }

    private final AppAccess access;
    private final SecretBox secrets;
    private final WebhookTargets targets;
    private final TypeGlobs globs;
    private final SubscriptionStore store;
    private final int maxPerNamespace;

    NewSubscriptions(AppAccess access, SecretBox secrets, WebhookTargets targets, TypeGlobs globs,
                     SubscriptionStore store, WebhookProperties properties) {
        this.access = access;
        this.secrets = secrets;
        this.targets = targets;
        this.globs = globs;
        this.store = store;
        this.maxPerNamespace = properties.maxSubscriptionsPerNamespace();
    }

    Created create(SubscriptionRequest request, Caller caller) {
        String namespace = request.namespace();
        if (namespace == null) {
            if (!caller.admin()) {
                throw ApiException.unprocessable("namespace is required: name one of yours");
            }
            if (request.app() != null) {
                throw ApiException.unprocessable("an app is named within a namespace; give the namespace too");
            }
        } else {
            Names.requireDnsLabel("namespace", namespace);
            if (request.app() != null) {
                Names.requireDnsLabel("app name", request.app());
            }
            access.requireNamespace(caller, namespace);
        }
        String from = request.from() == null ? Subscription.FROM_NOW : request.from();
        if (!FROM.contains(from)) {
            throw ApiException.unprocessable("from must be 'now' (only new events) or 'earliest' (all events "
                    + "in the log first), was '" + from + "'");
        }
        String secret = request.secret() == null ? WebhookSignature.newSecret() : request.secret();
        try {
            WebhookSignature.key(secret);
        } catch (IllegalArgumentException refused) {
            throw ApiException.unprocessable("secret: " + refused.getMessage());
        }
        String url = url(request.url());
        List<String> types = types(request.types());
        Subscription subscription = new Subscription(UUID.randomUUID().toString(), secrets.seal(url),
                RedactedUrl.of(url), types, namespace, request.app(), secrets.seal(secret), from,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        // one at a time, so two requests at once cannot both take the namespace's last place on this replica
        synchronized (this) {
            long count = store.list(existing -> Objects.equals(existing.namespace(), namespace)).size();
            if (count >= maxPerNamespace) {
                throw ApiException.unprocessable((namespace == null ? "subscriptions for all namespaces"
                        : "namespace " + namespace) + " has " + count + " subscriptions, the most allowed "
                        + "(slipway.webhooks.max-subscriptions-per-namespace); delete one first");
            }
            store.create(subscription);
        }
        return new Created(subscription, request.secret() == null ? secret : null);
    }

    /** The URL checked; refusals never repeat it, as it may hold a token. */
    private String url(String url) {
        String refusal = "url must be an absolute http or https URL with a host";
        if (url == null || url.length() > MAX_URL_LENGTH) {
            throw ApiException.unprocessable(refusal + " of at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.unprocessable(refusal);
        }
        if (!uri.isAbsolute() || uri.getHost() == null
                || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw ApiException.unprocessable(refusal);
        }
        // the HTTP client reads URLs by another standard: its idea of the host is checked too
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw ApiException.unprocessable(refusal);
        }
        Set<String> hosts = new java.util.LinkedHashSet<>();
        for (String host : List.of(uri.getHost(), parsed.host())) {
            hosts.add(host.toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", ""));
        }
        for (String host : hosts) {
            targets.refusal(host).ifPresent(why -> {
                throw ApiException.unprocessable("webhook target refused: " + why);
            });
        }
        return url;
    }

    private List<String> types(List<String> types) {
        if (types == null || types.isEmpty()) {
            return ALL_TYPES;
        }
        for (String glob : types) {
            try {
                globs.matching(glob);
            } catch (IllegalArgumentException refused) {
                throw ApiException.unprocessable("types: " + refused.getMessage()
                        + "; use a type such as dev.slipway.stage.succeeded.v1 or a glob such as dev.slipway.stage.*");
            }
        }
        return types;
    }
}
