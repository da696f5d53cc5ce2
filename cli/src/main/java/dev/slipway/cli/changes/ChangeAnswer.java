package dev.slipway.cli.changes;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.cli.tracking.PushFollower;
import dev.slipway.events.EventJson;
import tools.jackson.databind.JsonNode;

/**
 * What a day-2 change prints: the push that carries it out (its id first, then followed like
 * {@code push} unless asked not to), or the server's word that it waits for the next push. With
 * {@code -o json} every line on stdout is JSON: the server's answer, then the followed events.
 */
final class ChangeAnswer {

    private ChangeAnswer() {
    }

    static int handle(CliContext context, SlipwayApi api, JsonNode answer, boolean noFollow, boolean json) {
        String pushId = answer.path("id").isString() ? answer.path("id").asString() : null;
        if (json) {
            // the server's answer, with the push id under the name push and rollback print it by
            var shown = EventJson.mapper().createObjectNode().put("pushId", pushId);
            answer.properties().forEach(entry -> shown.set(entry.getKey(), entry.getValue()));
            context.out().println(EventJson.mapper().writeValueAsString(shown));
        } else if (pushId != null) {
            context.out().println(pushId);
        } else {
            context.out().println(answer.path("message").asString(""));
        }
        context.out().flush();
        if (pushId == null) {
            return 0;
        }
        if (!json) {
            context.err().println(answer.path("message").asString("") + ": push " + pushId);
        }
        if (noFollow) {
            if (!json) {
                context.err().println("Follow it with: slipway events " + pushId + " --follow");
            }
            context.err().flush();
            return 0;
        }
        context.err().flush();
        return PushFollower.follow(context, api, pushId, json);
    }

    static String appPath(String namespace, String app) {
        return "/api/v1/namespaces/" + namespace + "/applications/" + app;
    }
}
