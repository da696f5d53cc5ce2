package dev.slipway.upload.runtime;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.apps.AppAccess;
import dev.slipway.upload.auth.Caller;
import dev.slipway.upload.limits.UserSlots;
import dev.slipway.upload.tracking.EventStreams;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * An app's logs as Server-Sent Events ({@code log} events, one line each, then one {@code end} event
 * that says why the stream ended): its instances' output, or with {@code staging=true} the build log of
 * its last push; with {@code follow=true} new lines as they come. Every request, followed or not, holds
 * one of its user's slots until it ends (follows and reads are counted apart), and ends at the latest
 * at its limit ({@code slipway.logs.follow-timeout} or {@code read-timeout}). When the client goes, the
 * reading stops (its processes are killed). The stream itself is {@link LogStream}'s.
 */
@RestController
class AppLogsController {

    private final AppAccess access;
    private final AppRuntime runtime;
    private final StagingLog stagingLog;
    private final LogsProperties properties;
    private final UserSlots followSlots;
    private final UserSlots readSlots;
    private final EventStreams streams;
    private final Clock clock = Clock.systemUTC();

    AppLogsController(AppAccess access, AppRuntime runtime, StagingLog stagingLog, LogsProperties properties,
                      @Qualifier(UserSlots.LOG_FOLLOWS) UserSlots followSlots,
                      @Qualifier(UserSlots.LOG_READS) UserSlots readSlots, EventStreams streams) {
        this.access = access;
        this.runtime = runtime;
        this.stagingLog = stagingLog;
        this.properties = properties;
        this.followSlots = followSlots;
        this.readSlots = readSlots;
        this.streams = streams;
    }

    @GetMapping(path = "/api/v1/namespaces/{namespace}/applications/{app}/logs",
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter logs(@PathVariable String namespace, @PathVariable("app") String appName,
                    @RequestParam(required = false) String since, @RequestParam(defaultValue = "false") boolean follow,
                    @RequestParam(defaultValue = "false") boolean staging, Caller caller) {
        AppState app = access.existing(caller, namespace, appName);
        Instant from = Since.parse(since, clock);
        String pushId = app.lastStageId();
        if (staging && pushId == null) {
            throw ApiException.notFound("app " + app.ref() + " has no push yet, so no build log; push it with "
                    + "'slipway push'");
        }
        // a read holds a writer thread and a reader per instance as a follow does, only shorter
        UserSlots.Slot slot = (follow ? followSlots : readSlots).take(caller.username());
        LogStream stream = new LogStream(follow ? properties.followTimeout() : properties.readTimeout(),
                properties.heartbeat(), endings(app.ref(), follow, staging, pushId));
        AppRuntime.LogRequest request = new AppRuntime.LogRequest(from, follow, properties.tail(),
                properties.maxLineBytes());
        AppRuntime.LogReading reading;
        try {
            reading = staging ? stagingLog.read(pushId, from, follow, properties.maxLineBytes(), stream)
                    : runtime.logs(app.ref(), request, stream);
        } catch (IOException | RuntimeException failed) {
            slot.close();
            if (failed instanceof ApiException refusal) {
                throw refusal;
            }
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "runtime unavailable", "the logs of " + app.ref()
                    + " cannot be read now (" + failed.getMessage() + "); try again later", failed);
        }
        stream.holds(reading, slot);
        if (!streams.open(stream::write)) {
            stream.endAtOnce();  // the service is stopping: only the end, which says to ask again later
        }
        return stream.emitter();
    }

    /** What the stream's {@code end} event says, with the command that picks it up again. */
    private LogStream.Endings endings(AppRef app, boolean follow, boolean staging, String pushId) {
        String again = "'slipway logs " + app.name() + (staging ? " --staging" : "") + (follow ? " --follow" : "")
                + "'";
        LogStream.Ending read = follow && !staging
                ? new LogStream.Ending(LogStream.Reason.INSTANCES_ENDED, "the logs of " + app + "'s instances ended: "
                        + "none runs now (they stopped or crashed, or a deploy replaced them); see them with "
                        + "'slipway apps show " + app.name() + "' and follow those running then with " + again)
                : new LogStream.Ending(LogStream.Reason.COMPLETE, follow ? "the staging of push " + pushId + " ended"
                        : "every line asked for was sent");
        LogStream.Ending timeUp = follow
                ? new LogStream.Ending(LogStream.Reason.CAP, "this follow reached slipway.logs.follow-timeout ("
                        + shown(properties.followTimeout()) + "), the longest one follow lasts; lines from now on "
                        + "are not sent: follow again with " + again)
                : new LogStream.Ending(LogStream.Reason.TIMEOUT, "this read was cut short at "
                        + "slipway.logs.read-timeout (" + shown(properties.readTimeout()) + "): lines after the last "
                        + "one sent are missing; read again, fewer with --since (e.g. 'slipway logs " + app.name() + (staging ? " --staging" : "")
                        + " --since 5m')");
        LogStream.Ending stopping = new LogStream.Ending(LogStream.Reason.STOPPING, "the API service is stopping, so "
                + "this stream was cut short; ask again in a moment with " + again);
        return new LogStream.Endings(read, timeUp, stopping);
    }

    /** 2m, 1h, 1h30m: as the settings are written. */
    private static String shown(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
