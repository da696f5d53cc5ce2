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
 * runtime that cannot be asked leaves them empty and says why in {@code instances_error}.
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
            shown.put("instances", runtime.instances(app).stream().map(InstancesDetail::shown).toList());
        } catch (IOException failed) {
            log.warn("cannot list the instances of {}: {}", app, failed.getMessage());
            shown.put("instances", List.of());
            shown.put("instances_error", "the runtime did not answer; try again (the API's log says why)");
        }
        return shown;
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
