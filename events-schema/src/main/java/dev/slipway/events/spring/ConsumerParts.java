package dev.slipway.events.spring;

import java.util.List;

/**
 * Parts of a service that consume records on threads of their own. A part whose thread has ended
 * while it should run does no work and says so nowhere else: every bean of this type is asked by the
 * {@code consumers} health check, which is DOWN while any part is stopped.
 */
public interface ConsumerParts {

    List<PartStatus> partStatuses();
}
