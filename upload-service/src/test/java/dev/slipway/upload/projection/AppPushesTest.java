package dev.slipway.upload.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.DeployAction;
import dev.slipway.events.DeployChange;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.RoutesReady;
import dev.slipway.upload.status.PushState;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AppPushesTest {

    private static final URI SOURCE = URI.create("/slipway/test");
    private static final AppRef APP = new AppRef("workspace", "shop");

    @Test
    void aPushIsUnfinishedFromItsFirstEventUntilItEnds() {
        Event<DeployRequested> requested = Event.start(SOURCE, new DeployRequested(UUID.randomUUID().toString(), APP,
                DeployAction.DEPLOY, null, "img:1", null, AppSettings.defaults(), DeployChange.SCALE));
        PushState deploying = PushState.start(requested);

        AppPushes during = AppPushes.none().with(deploying);
        PushState online = deploying.next(requested.next(SOURCE, new RoutesReady(requested.key(), APP, List.of())));
        AppPushes after = during.with(online);

        assertThat(during.unfinished()).containsOnlyKeys(requested.id());
        assertThat(after.unfinished()).isEmpty();
        assertThat(after.staging()).isEmpty();
    }

    @Test
    void aSummaryWrittenBeforeUnfinishedPushesWereKeptReadsAsNone() {
        AppPushes old = new AppPushes(null, null, null, null);

        assertThat(old.unfinished()).isEmpty();
    }
}
