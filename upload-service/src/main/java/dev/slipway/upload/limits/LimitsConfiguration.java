package dev.slipway.upload.limits;

import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The request body cap, in front of everything else, a server that does not read what it refused, and
 * the event streams each user may hold.
 */
@Configuration(proxyBeanMethods = false)
class LimitsConfiguration {

    /**
     * Before every filter that may read a body: Spring's FormContentFilter (-9900) reads form bodies
     * of PUT, PATCH and DELETE whole, Spring Security's chain (-100) comes later still.
     */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    /** The event streams each user holds open ({@code slipway.limits.max-streams-per-user}). */
    @Bean(UserSlots.EVENT_STREAMS)
    UserSlots eventStreamSlots(LimitsProperties limits) {
        return new UserSlots(limits.maxStreamsPerUser(), limits.streamRetryAfter(), "too many streams",
                user -> "user " + user + " already follows " + limits.maxStreamsPerUser() + " event streams, the "
                        + "most one user may hold open (slipway.limits.max-streams-per-user); close one and try again");
    }

    @Bean
    FilterRegistrationBean<JsonBodyLimitFilter> jsonBodyLimitFilter(LimitsProperties limits) {
        FilterRegistrationBean<JsonBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new JsonBodyLimitFilter(limits.maxJsonBody().toBytes()));
        registration.setOrder(ORDER);
        return registration;
    }

    /**
     * After a 413 Tomcat would otherwise read the rest of the body to keep the connection (without end:
     * {@code server.tomcat.max-swallow-size} is unlimited for uploads), so an endless body would hold
     * a thread forever. With this a 413 closes the connection instead.
     */
    @Bean
    TomcatContextCustomizer closeConnectionsAfterTooLargeBodies() {
        return context -> context.setSwallowAbortedUploads(false);
    }
}
