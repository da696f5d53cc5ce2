package dev.slipway.upload.runtime;

import dev.slipway.events.AppRef;
import dev.slipway.upload.apps.AppDetails;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * An app's instances in its shape: {@code instances} (name, state, ready, restarts, startedAt); a
 * runtime that cannot be asked leaves them empty and says why in {@code instances_error}. When every
 * instance has crashed, the app's {@code status} says {@code crashed}, whatever its last push did.
 */
@Component
class InstancesDetail implements AppDetails {

    private static final Logger log = LoggerFactory.getLogger(InstancesDetail.class);

    private final AppRuntime runtime;

    InstancesDetail(AppRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Map<String, Object> describe(AppRef app) {
        Map<String, Object> shown = new LinkedHashMap<>();
        try {
            List<Instance> instances = runtime.instances(app);
            shown.put("instances", instances.stream().map(InstancesDetail::shown).toList());
            if (crashed(instances)) {
                shown.put("status", "crashed");
                shown.put("statusmessage", "no instance of the app is running: each stopped on its own ("
                        + instances.get(0).state() + ", " + instances.get(0).restarts() + " restarts); see why with "
                        + "'slipway logs " + app.name() + "', then push a fix or 'slipway apps restart " + app.name()
                        + "'");
            }
        } catch (IOException failed) {
            log.warn("cannot list the instances of {}: {}", app, failed.getMessage());
            shown.put("instances", List.of());
            shown.put("instances_error", "the runtime did not answer; try again (the API's log says why)");
        }
        return shown;
    }

    /**
     * Every instance has stopped on its own: none is ready, and each has exited or been restarted
     * (instances that are still starting have neither, so a rollout in progress is not a crash).
     */
    static boolean crashed(List<Instance> instances) {
        return !instances.isEmpty() && instances.stream().noneMatch(Instance::ready) && instances.stream()
                .allMatch(instance -> instance.restarts() > 0 || instance.state().startsWith("exited"));
    }

    private static Map<String, Object> shown(Instance instance) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("name", instance.name());
        shown.put("state", instance.state());
        shown.put("ready", instance.ready());
        shown.put("restarts", instance.restarts());
        shown.put("startedAt", instance.startedAt() == null ? null : instance.startedAt().toString());
        return shown;
    }
}
