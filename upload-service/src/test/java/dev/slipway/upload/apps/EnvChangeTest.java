package dev.slipway.upload.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Env changes against apps stored before the rules held: such an app can shrink back, never grow past them. */
class EnvChangeTest {

    private static final UnaryOperator<String> SEAL = value -> "sealed:" + value;

    @Test
    void aNameTheRulesRefuseToSetCanStillBeUnsetWhenTheAppHasIt() {
        Map<String, String> legacy = Map.of("PORT", "sealed:80", "N".repeat(300), "sealed:x", "KEPT", "sealed:1");

        Map<String, String> after = EnvChange.of(null, List.of("PORT", "N".repeat(300))).applyTo(legacy, SEAL);

        assertThat(after).containsOnlyKeys("KEPT");
        assertThatThrownBy(() -> EnvChange.of(Map.of("PORT", "81"), null)).hasMessageContaining("set by the platform");
        assertThatThrownBy(() -> EnvChange.of(null, List.of("A-B"))).hasMessageContaining("letters, digits and _");
        assertThatThrownBy(() -> EnvChange.of(null, List.of("BAD\u001b[31m"))).isInstanceOf(
                IllegalArgumentException.class).message().doesNotContain("\u001b");
    }

    @Test
    void anAppPastTheBoundsMayShrinkOrStayButNotGrow() {
        Map<String, String> crowded = new HashMap<>();
        for (int i = 0; i < EnvChange.MAX_APP_NAMES + 40; i++) {
            crowded.put("V" + i, "sealed:x");
        }

        assertThat(EnvChange.of(null, List.of("V1", "V2")).applyTo(crowded, SEAL)).hasSize(crowded.size() - 2);
        assertThat(EnvChange.of(Map.of("V3", "changed"), null).applyTo(crowded, SEAL)).hasSize(crowded.size());
        assertThatThrownBy(() -> EnvChange.of(Map.of("NEW", "x"), null).applyTo(crowded, SEAL))
                .hasMessageContaining("at most " + EnvChange.MAX_APP_NAMES);
    }
}
