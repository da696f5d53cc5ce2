package dev.slipway.events;

import java.util.List;

/**
 * What the later stages need to run and route an app, carried along the pipeline so no service has
 * to ask another for it.
 *
 * @param instances        desired replicas; 0 scales the app to zero
 * @param defaultRoute     whether the app also gets {@code <app>.<system-domain>}
 * @param routes           custom {@code host[/path]} routes
 * @param configurationRef reference to the app's versioned configuration (env vars), e.g.
 *                         {@code myapp-env@3}, or null; values never travel on the event topics
 * @param memoryMb         memory of each instance in MiB, or null for the runtime's default; within
 *                         {@link AppMemory#MIN_MB} and the platform's cap ({@link AppMemory#MAX_PROPERTY})
 */
public record AppSettings(int instances, boolean defaultRoute, List<String> routes, String configurationRef,
                          Integer memoryMb) {

    public AppSettings {
        if (instances < 0) {
            throw new IllegalArgumentException("instances must be 0 or more, was " + instances);
        }
        if (memoryMb != null && memoryMb < AppMemory.MIN_MB) {
            throw new IllegalArgumentException("memory must be at least " + AppMemory.MIN_MB + " MB, was " + memoryMb);
        }
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /** Settings with the runtime's default memory. */
    public AppSettings(int instances, boolean defaultRoute, List<String> routes, String configurationRef) {
        this(instances, defaultRoute, routes, configurationRef, null);
    }

    /** One instance on the default route, no custom routes, no configuration: Epinio's defaults. */
    public static AppSettings defaults() {
        return new AppSettings(1, true, List.of(), null);
    }
}
