package dev.slipway.upload.changes;

import dev.slipway.events.AppState;
import dev.slipway.upload.apps.AppAccess;
import dev.slipway.upload.auth.Caller;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Day-2 changes of an app: scale, restart, env, routes. A change of a running app answers 202 with
 * the push that carries it out; one of an app that runs nothing yet answers 200 with no push.
 */
@RestController
@RequestMapping("/api/v1/namespaces/{namespace}/applications/{app}")
class ChangesController {

    private final AppAccess access;
    private final AppChanges changes;

    ChangesController(AppAccess access, AppChanges changes) {
        this.access = access;
        this.changes = changes;
    }

    record ScaleRequest(Integer instances) {
    }

    record EnvRequest(Map<String, String> set, List<String> unset) {
    }

    record RouteRequest(String route) {
    }

    @PostMapping("/scale")
    ResponseEntity<Map<String, Object>> scale(@PathVariable String namespace, @PathVariable("app") String appName,
                                              @RequestBody ScaleRequest request, Caller caller) {
        AppState app = access.existing(caller, namespace, appName);
        return answer(changes.scale(app, request.instances()));
    }

    /** No body needed; scripts and the CLI may leave out Content-Type, as for rollback. */
    @PostMapping("/restart")
    ResponseEntity<Map<String, Object>> restart(@PathVariable String namespace, @PathVariable("app") String appName,
                                                @RequestBody(required = false) Map<String, Object> ignored,
                                                Caller caller) {
        return answer(changes.restart(access.existing(caller, namespace, appName)));
    }

    @GetMapping("/env")
    Map<String, Object> env(@PathVariable String namespace, @PathVariable("app") String appName, Caller caller) {
        return Map.of("environment", changes.env(access.existing(caller, namespace, appName)));
    }

    @RequestMapping(path = "/env", method = {RequestMethod.PUT, RequestMethod.POST})
    ResponseEntity<Map<String, Object>> changeEnv(@PathVariable String namespace, @PathVariable("app") String appName,
                                                  @RequestBody EnvRequest request, Caller caller) {
        AppState app = access.existing(caller, namespace, appName);
        return answer(changes.changeEnv(app, request.set(), request.unset()));
    }

    @GetMapping("/routes")
    Map<String, Object> routes(@PathVariable String namespace, @PathVariable("app") String appName, Caller caller) {
        return Map.of("routes", changes.routes(access.existing(caller, namespace, appName)));
    }

    @PostMapping("/routes")
    ResponseEntity<Map<String, Object>> addRoute(@PathVariable String namespace, @PathVariable("app") String appName,
                                                 @RequestBody RouteRequest request, Caller caller) {
        AppState app = access.existing(caller, namespace, appName);
        return answer(changes.addRoute(app, request.route()));
    }

    @DeleteMapping("/routes")
    ResponseEntity<Map<String, Object>> removeRoute(@PathVariable String namespace,
                                                    @PathVariable("app") String appName,
                                                    @RequestParam(name = "route", required = false) String route,
                                                    Caller caller) {
        AppState app = access.existing(caller, namespace, appName);
        return answer(changes.removeRoute(app, route));
    }

    private static ResponseEntity<Map<String, Object>> answer(AppChanges.Outcome outcome) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (outcome.pushId() == null) {
            body.put("status", "ok");
            body.put("id", null);
            body.put("message", outcome.message());
            return ResponseEntity.ok(body);
        }
        body.put("id", outcome.pushId());
        body.put("message", outcome.message());
        return ResponseEntity.accepted().location(URI.create("/api/v1/pushes/" + outcome.pushId())).body(body);
    }
}
