package dev.slipway.upload.apps;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppMemory;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.auth.Caller;
import dev.slipway.upload.limits.LimitsProperties;
import dev.slipway.upload.eventlog.PushRequests;
import dev.slipway.upload.releases.AppReleasesView;
import dev.slipway.upload.status.PushStates;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Epinio's app endpoints: create (409 when it exists), update, show, list, delete. */
@RestController
class AppsController {

    private static final Logger log = LoggerFactory.getLogger(AppsController.class);

    private final AppStore apps;
    private final AppAccess access;
    private final SecretBox secrets;
    private final PushStates pushes;
    private final RouteNames routeNames;
    private final PushRequests pushRequests;
    private final LimitsProperties limits;
    private final DataSize maxMemory;
    private final List<AppDeletionListener> deletionListeners;
    private final AppReleasesView releases;
    private final List<AppDetails> details;

    AppsController(AppStore apps, AppAccess access, SecretBox secrets, PushStates pushes, RouteNames routeNames,
                   PushRequests pushRequests, LimitsProperties limits,
                   @Value("${" + AppMemory.MAX_PROPERTY + ":" + AppMemory.DEFAULT_MAX + "}") DataSize maxMemory,
                   List<AppDeletionListener> deletionListeners, AppReleasesView releases, List<AppDetails> details) {
        this.details = List.copyOf(details);
        this.maxMemory = maxMemory;
        this.deletionListeners = List.copyOf(deletionListeners);
        this.releases = releases;
        this.apps = apps;
        this.access = access;
        this.secrets = secrets;
        this.pushes = pushes;
        this.routeNames = routeNames;
        this.pushRequests = pushRequests;
        this.limits = limits;
    }

    /** {@code memory}: MiB per instance, within the platform's cap; absent keeps the runtime's default. */
    record Configuration(Integer instances, Map<String, String> environment, List<String> routes, Integer memory) {
    }

    record CreateRequest(String name, Configuration configuration) {
    }

    record UpdateRequest(Integer instances, Map<String, String> environment, List<String> routes, Integer memory) {
    }

    record Status(String status) {
    }

    @PostMapping("/api/v1/namespaces/{namespace}/applications")
    ResponseEntity<Status> create(@PathVariable String namespace, @RequestBody CreateRequest request, Caller caller) {
        AppRef app = access.namespace(caller, namespace, request.name());
        routeNames.requireDefaultRouteFree(app.name());
        Configuration configuration = request.configuration() == null
                ? new Configuration(null, null, null, null) : request.configuration();
        List<String> routes = configuration.routes() == null ? List.of() : routeNames.normalize(configuration.routes());
        Map<String, String> env = sealed(envChange(configuration.environment()), Map.of());
        AppState state = new AppState(app.namespace(), app.name(), caller.username(), Instant.now(),
                instances(configuration.instances(), 1), true, routes, env, env.isEmpty() ? 0 : 1, null, null, null,
                memory(configuration.memory(), null));
        if (!apps.create(state)) {
            throw ApiException.conflict("app " + app + " already exists; update it with PATCH or push to it");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(new Status("ok"));
    }

    @PatchMapping("/api/v1/namespaces/{namespace}/applications/{app}")
    Status update(@PathVariable String namespace, @PathVariable("app") String appName,
                  @RequestBody UpdateRequest request, Caller caller) {
        AppState current = access.existing(caller, namespace, appName);
        List<String> newRoutes = request.routes() == null ? null : routeNames.normalize(request.routes());
        EnvChange newEnv = envChange(request.environment());
        // the edit may run again on what another replica stored meanwhile: it reads the app only from its argument
        apps.update(current.ref(), app -> {
            List<String> routes = newRoutes == null ? app.routes() : newRoutes;
            Integer memory = memory(request.memory(), app.memoryMb());
            Map<String, String> env = app.sealedEnv();
            int version = app.configVersion();
            if (newEnv != null) {
                env = sealed(newEnv, env);
                version++;
            }
            return new AppState(app.namespace(), app.name(), app.owner(), app.createdAt(),
                    instances(request.instances(), app.instances()), app.defaultRoute(), routes, env, version,
                    app.builderImage(), app.lastBlobUid(), app.lastStageId(), memory);
        });
        return new Status("ok");
    }

    /**
     * Deletes the app; deploy-service uninstalls its release, routing removes its routes, staging its
     * images, and the store its blobs.
     */
    @DeleteMapping("/api/v1/namespaces/{namespace}/applications/{app}")
    Status delete(@PathVariable String namespace, @PathVariable("app") String appName, Caller caller) {
        AppState app = access.existing(caller, namespace, appName);
        pushRequests.recordDeletion(new AppDeleted(UUID.randomUUID().toString(), app.ref(), caller.username()));
        apps.delete(app.ref());
        for (AppDeletionListener listener : deletionListeners) {
            try {
                listener.appDeleted(app.ref());
            } catch (RuntimeException e) {
                log.warn("after deleting {}: {}", app.ref(), e.getMessage(), e);
            }
        }
        return new Status("ok");
    }

    @GetMapping("/api/v1/namespaces/{namespace}/applications/{app}")
    Map<String, Object> show(@PathVariable String namespace, @PathVariable("app") String appName, Caller caller) {
        AppState app = access.existing(caller, namespace, appName);
        Map<String, Object> shown = describe(app, true);
        shown.putAll(releases.describe(app.ref()));
        details.forEach(detail -> shown.putAll(detail.describe(app.ref())));
        return shown;
    }

    @GetMapping("/api/v1/namespaces/{namespace}/applications")
    List<Map<String, Object>> list(@PathVariable String namespace, Caller caller) {
        access.requireNamespace(caller, namespace);
        return apps.list(namespace::equals).stream().map(app -> describe(app, false)).toList();
    }

    @GetMapping("/api/v1/applications")
    List<Map<String, Object>> listAll(Caller caller) {
        return apps.list(caller::canAccess).stream().map(app -> describe(app, false)).toList();
    }

    /** Epinio's app shape: meta, configuration, image, stage id, status; env values only when shown alone. */
    private Map<String, Object> describe(AppState app, boolean withEnvValues) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", app.name());
        meta.put("namespace", app.namespace());
        meta.put("createdAt", app.createdAt().toString());
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("instances", app.instances());
        if (app.memoryMb() != null) {
            configuration.put("memory", app.memoryMb());
        }
        Map<String, String> env = new TreeMap<>();
        app.sealedEnv().forEach((name, sealed) -> env.put(name, withEnvValues ? secrets.open(sealed) : "***"));
        configuration.put("environment", env);
        configuration.put("routes", routeNames.all(app));
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("meta", meta);
        shown.put("configuration", configuration);
        shown.putAll(pushes.appStatus(app));
        return shown;
    }

    /** The env given on create or update, checked as {@code slipway env set} checks it; none given: null. */
    private static EnvChange envChange(Map<String, String> environment) {
        if (environment == null || environment.isEmpty()) {
            return null;
        }
        try {
            return EnvChange.of(environment, null);
        } catch (IllegalArgumentException refused) {
            throw ApiException.unprocessable(refused.getMessage());
        }
    }

    private Map<String, String> sealed(EnvChange change, Map<String, String> sealedEnv) {
        if (change == null) {
            return sealedEnv;
        }
        try {
            return change.applyTo(sealedEnv, secrets::seal);
        } catch (IllegalArgumentException refused) {
            throw ApiException.unprocessable(refused.getMessage());
        }
    }

    /** The memory asked for, refused (422) outside the platform's bounds; none asked keeps the current. */
    private Integer memory(Integer requested, Integer current) {
        if (requested == null) {
            return current;
        }
        String refusal = AppMemory.refusal(requested, maxMemory.toMegabytes());
        if (refusal != null) {
            throw ApiException.unprocessable(refusal);
        }
        return requested;
    }

    /** The instances asked for, else the current ones (kept even above a cap lowered since). */
    private int instances(Integer requested, int current) {
        if (requested == null) {
            return current;
        }
        String refusal = limits.instancesRefusal(requested);
        if (refusal != null) {
            throw ApiException.unprocessable(refusal);
        }
        return requested;
    }
}
