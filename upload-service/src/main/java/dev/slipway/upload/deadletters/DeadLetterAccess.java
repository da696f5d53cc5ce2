package dev.slipway.upload.deadletters;

import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.auth.Caller;
import org.springframework.http.HttpStatus;

/**
 * Who may see and redrive dead letters: admins all of them; a namespace's admins those of its apps;
 * nobody else any. A record that is not a readable event names no namespace, so only admins see it.
 */
final class DeadLetterAccess {

    private DeadLetterAccess() {
    }

    static void requireAdmin(Caller caller) {
        if (!caller.admin() && caller.adminNamespaces().isEmpty()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "dead letters are for admins; user "
                    + caller.username() + " administers no namespace");
        }
    }

    static boolean canSee(Caller caller, DeadLetter letter) {
        return caller.admin() || letter.app().map(app -> caller.adminNamespaces().contains(app.namespace()))
                .orElse(false);
    }
}
