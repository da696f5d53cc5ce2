package dev.slipway.cli.tracking;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.BlobUploaded;
import dev.slipway.events.DeployFailed;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.FailureEvent;
import dev.slipway.events.PushQueued;
import dev.slipway.events.PushSuperseded;
import dev.slipway.events.RoutesFailed;
import dev.slipway.events.RoutesReady;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageLogged;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStarted;
import dev.slipway.events.StageStepFinished;
import dev.slipway.events.StageSucceeded;
import java.util.Locale;

/** One event as a person reads it: which stage, what happened, how long it took. */
public final class EventLines {

    private EventLines() {
    }

    public static String of(Event<EventData> event) {
        String replay = event.replayOf() == null ? "" : " (replay of " + event.replayOf() + ")";
        EventData data = event.data();
        if (data instanceof BlobUploaded uploaded) {
            return line("upload", "stored " + bytes(uploaded.sizeBytes()) + " as blob " + uploaded.blobUid());
        } else if (data instanceof StageRequested requested) {
            return line("staging", "requested" + (requested.builderImage() == null ? ""
                    : " with builder image " + requested.builderImage()) + replay);
        } else if (data instanceof StageStarted started) {
            return line("staging", "started (" + started.builder() + " builder)");
        } else if (data instanceof StageStepFinished step) {
            return line("staging", step.step().wireName() + " done in " + seconds(step.durationMillis())
                    + (step.detail() == null ? "" : ": " + step.detail()));
        } else if (data instanceof StageLogged logged) {
            return String.join("\n", logged.lines().stream().map(text -> "           | " + text).toList());
        } else if (data instanceof StageSucceeded staged) {
            return line("staging", "built " + staged.image());
        } else if (data instanceof DeployRequested deploy) {
            return line("deploy", deploy.action().name().toLowerCase(Locale.ROOT) + " requested"
                    + (deploy.image() == null ? "" : " for " + deploy.image())
                    + (deploy.revision() == null ? "" : " (revision " + deploy.revision() + ")") + replay);
        } else if (data instanceof AppDeployed deployed) {
            return line("deploy", "release revision " + deployed.releaseRevision() + ", "
                    + deployed.readyInstances() + "/" + deployed.desiredInstances() + " instances ready" + replay);
        } else if (data instanceof RoutesReady ready) {
            return line("routes", ready.urls().isEmpty() ? "the app has no route" : String.join(" ", ready.urls()));
        } else if (data instanceof PushQueued) {
            return line("queue", "accepted; runs once the app has no other push running");
        } else if (data instanceof PushSuperseded superseded) {
            return line("queue", "superseded by push " + superseded.supersededBy() + " (a newer push of the app)");
        } else if (data instanceof AppDeleted deleted) {
            return line("app", "deleted by " + deleted.username());
        } else if (data instanceof FailureEvent failed) {
            return line(stageOf(event), "FAILED " + failed.failure().reason() + ": " + failed.failure().message());
        }
        return line("event", event.type().type());
    }

    /** The stage a failure event belongs to, as replay names it. */
    public static String stageOf(Event<EventData> event) {
        EventData data = event.data();
        if (data instanceof StageFailed) {
            return "staging";
        } else if (data instanceof DeployFailed) {
            return "deploy";
        } else if (data instanceof RoutesFailed) {
            return "routing";
        }
        return event.type().type();
    }

    private static String line(String stage, String text) {
        return String.format("%-9s  %s", stage, text);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
