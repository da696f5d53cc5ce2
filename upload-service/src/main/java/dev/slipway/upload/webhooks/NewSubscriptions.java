package dev.slipway.upload.webhooks;

import dev.slipway.events.EventType;
import dev.slipway.events.Names;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.apps.AppAccess;
import dev.slipway.upload.auth.Caller;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Turns a request into a subscription, refusing what could never deliver: valid names (422), then
 * namespace access (403, as for apps), then the URL, types, start and secret (422).
 */
@Component
class NewSubscriptions {

    static final int MIN_SECRET_LENGTH = 16;
    static final List<String> ALL_TYPES = List.of("*");
    private static final Set<String> FROM = Set.of(Subscription.FROM_NOW, Subscription.FROM_EARLIEST);

    private final AppAccess access;
    private final SecretBox secrets;
    private final WebhookTargets targets;

    NewSubscriptions(AppAccess access, SecretBox secrets, WebhookProperties properties) {
        this.access = access;
        this.secrets = secrets;
        this.targets = properties.targets();
    }

    Subscription from(SubscriptionRequest request, Caller caller) {
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
        if (request.secret() == null || request.secret().length() < MIN_SECRET_LENGTH) {
            throw ApiException.unprocessable("secret must have at least " + MIN_SECRET_LENGTH + " characters; "
                    + "deliveries are signed with it");
        }
        return new Subscription(UUID.randomUUID().toString(), url(request.url()), types(request.types()), namespace,
                request.app(), secrets.seal(request.secret()), from, Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    private String url(String url) {
        String refusal = "url must be an absolute http or https URL, was '" + url + "'";
        if (url == null) {
            throw ApiException.unprocessable(refusal);
        }
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))) {
                throw ApiException.unprocessable(refusal);
            }
            targets.refusal(uri).ifPresent(why -> {
                throw ApiException.unprocessable("webhook target refused: " + why);
            });
            return url;
        } catch (URISyntaxException e) {
            throw ApiException.unprocessable(refusal + ": " + e.getMessage());
        }
    }

    private static List<String> types(List<String> types) {
        if (types == null || types.isEmpty()) {
            return ALL_TYPES;
        }
        for (String glob : types) {
            try {
                EventType.matching(glob);
            } catch (IllegalArgumentException unknown) {
                throw ApiException.unprocessable("type '" + glob + "' matches no event type; use a type such as "
                        + "dev.slipway.stage.succeeded.v1 or a glob such as dev.slipway.stage.*");
            }
        }
        return types;
    }
}
