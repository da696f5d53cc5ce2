package dev.slipway.routing;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.Failure;
import dev.slipway.events.RoutesFailed;
import dev.slipway.events.spring.StageInputs;
import java.util.Optional;

/** What the routing stage works on, on either runtime, for its attempt ledger. */
public final class RoutingInputs {

    /** On Kubernetes: deployed apps get Ingresses, deleted apps lose theirs. */
    public static final StageInputs INGRESS = StageInputs.of(RoutingInputs::failed, EventType.APP_DEPLOYED,
            EventType.APP_DELETED);

    /** Locally: deployed apps get their URLs (deletions reach the route table through its follower). */
    public static final StageInputs LOCAL = StageInputs.of(RoutingInputs::failed, EventType.APP_DEPLOYED);

    private RoutingInputs() {
    }

    /** A deployed app's {@code routes.failed}; a deletion has none and is only dead-lettered. */
    private static Optional<RoutesFailed> failed(Event<EventData> input, Failure failure) {
        return input.data() instanceof AppDeployed deployed ? Optional.of(RoutesFailed.of(deployed, failure))
                : Optional.empty();
    }
}
