package dev.slipway.upload.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.upload.api.ApiException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class UserSlotsTest {

    private final UserSlots slots = new UserSlots(2, Duration.ofSeconds(7), "too many follows",
            user -> user + " holds too many (slipway.test.max-per-user)");

    @Test
    void aUserHoldsAtMostTheCapOthersAreNotBlockedAndASlotGoesBackOnce() {
        UserSlots.Slot first = slots.take("alice");
        slots.take("alice");
        assertThatThrownBy(() -> slots.take("alice")).isInstanceOfSatisfying(ApiException.class, refusal -> {
            assertThat(refusal.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(refusal.headers()).containsEntry("Retry-After", "7");
            assertThat(refusal.details()).isEqualTo("alice holds too many (slipway.test.max-per-user)");
        });
        slots.take("bob");
        first.close();
        first.close();
        assertThat(slots.openBy("alice")).isEqualTo(1);
        slots.take("alice");
        assertThatThrownBy(() -> slots.take("alice")).isInstanceOf(ApiException.class);
    }

    @Test
    void aRetryAfterBelowASecondSaysOneAndACapOfZeroRefusesEveryone() {
        UserSlots none = new UserSlots(0, Duration.ofMillis(200), "too many streams", user -> "none for " + user);
        assertThatThrownBy(() -> none.take("carol")).isInstanceOfSatisfying(ApiException.class,
                refusal -> assertThat(refusal.headers()).containsEntry("Retry-After", "1"));
        assertThat(none.openBy("carol")).isZero();
    }
}
