package dev.slipway.staging.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.StageStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a stage reports never carries a build env value, whichever message carries it. */
class SecretMaskTest {

    private final SecretMask mask = new SecretMask(List.of("hunter22", "hunter22-and-more", "on"));

    @Test
    void everyMessageThatCarriesTextIsMaskedTheLongestValueFirst() {
        assertThat(mask.mask(new WorkerMessage.Logged(StageStep.BUILD, "GET https://x:hunter22-and-more@host/")))
                .isEqualTo(new WorkerMessage.Logged(StageStep.BUILD, "GET https://x:***@host/"));
        assertThat(mask.mask(new WorkerMessage.Failed(StageStep.BUILD, "BUILD_FAILED", "token hunter22 refused", false)))
                .isEqualTo(new WorkerMessage.Failed(StageStep.BUILD, "BUILD_FAILED", "token *** refused", false));
        assertThat(mask.mask(new WorkerMessage.StepFinished(StageStep.BUILD, 5, "built with hunter22")).toString())
                .doesNotContain("hunter22");
    }

    @Test
    void valuesTooShortToHideAnythingAreLeftSoTheLogStaysReadable() {
        assertThat(mask.mask("build done on time")).isEqualTo("build done on time");
        assertThat(new SecretMask(List.of()).mask("anything")).isEqualTo("anything");
    }
}
