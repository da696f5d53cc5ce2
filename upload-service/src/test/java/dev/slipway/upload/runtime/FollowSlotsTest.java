package dev.slipway.upload.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.upload.api.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class FollowSlotsTest {

    @Test
    void aUserHoldsAtMostTheCapOthersAreNotBlockedAndASlotGoesBackOnce() throws Exception {
        FollowSlots slots = new FollowSlots(2);
        AutoCloseable first = slots.take("alice");
        slots.take("alice");
        assertThatThrownBy(() -> slots.take("alice")).isInstanceOfSatisfying(ApiException.class, refusal -> {
            assertThat(refusal.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(refusal.headers()).containsKey("Retry-After");
            assertThat(refusal.details()).contains("slipway.logs.max-follows-per-user");
        });
        slots.take("bob");
        first.close();
        first.close();
        assertThat(slots.openBy("alice")).isEqualTo(1);
        slots.take("alice");
        assertThatThrownBy(() -> slots.take("alice")).isInstanceOf(ApiException.class);
    }
}
