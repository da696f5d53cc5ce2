package dev.slipway.upload.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.slipway.events.spring.RuntimeMode;
import dev.slipway.events.spring.TopicCreation;
import dev.slipway.events.spring.TopicFollower;
import dev.slipway.upload.api.ErrorResponses;
import dev.slipway.upload.console.ConsolePaths;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;

/**
 * Who may call what: health status and the API description are open, login is open (rate-limited),
 * metrics are open on the actuator's own port and for admins on the API's,
 * everything else needs HTTP Basic, a signed token or the session cookie (plus its anti-forgery
 * header on anything that changes state). No server-side sessions, so every replica answers the
 * same; only revocations are stored, in Kafka.
 * The 401 carries no {@code WWW-Authenticate: Basic}: a browser that never prompted for Basic
 * credentials never caches them and never sends them along with a forged cross-site request.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SlipwayUsers slipwayUsers(AuthProperties properties) {
        return new SlipwayUsers(properties.users());
    }

    @Bean
    SignedTokens signedTokens(AuthProperties properties) {
        return new SignedTokens(properties.tokenKey(), Clock.systemUTC(), properties.cliTokenTtl());
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    ClientAddresses clientAddresses(AuthProperties properties) {
        return new ClientAddresses(properties.trustedProxies());
    }

    /** The clock of the throttle's windows: the system's, unless a test supplies one. */
    @Bean
    AuthThrottle authThrottle(AuthProperties properties, ObjectProvider<Ticker> ticker) {
        return new AuthThrottle(properties.throttle(), ticker.getIfAvailable(Ticker::systemTicker));
    }

    @Bean
    FailedAuthentication failedAuthentication(AuthThrottle throttle) {
        return new FailedAuthentication(throttle);
    }

    @Bean
    PasswordCheck passwordCheck(SlipwayUsers users, PasswordEncoder passwords, FailedAuthentication failures,
                                AuthProperties properties) {
        return new PasswordCheck(users, passwords, failures, properties.users());
    }

    @Bean
    Revocations revocations(Producer<String, byte[]> appStoreProducer, Admin slipwayEventLogAdmin) {
        TopicCreation.createIfMissing(slipwayEventLogAdmin, TopicCreation.compacted(Revocations.TOPIC),
                Duration.ofSeconds(10));
        return new Revocations(appStoreProducer);
    }

    /** Every replica reads all revocations before it reports ready (see the state health indicator). */
    @Bean
    TopicFollower revocationsFollower(Revocations revocations, KafkaAdmin kafkaAdmin) {
        return new TopicFollower(Revocations.TOPIC, kafkaAdmin.getConfigurationProperties(), revocations::apply);
    }

    /**
     * Local mode serves plain HTTP on loopback; everywhere else the cookie travels over HTTPS only.
     * Only local mode as chosen ({@code slipway.runtime=local}, as the local launcher sets it) counts:
     * "auto" would also call a server without a kubeconfig local. Browsers keep Secure cookies
     * from http://localhost anyway.
     */
    @Bean
    SessionCookies sessionCookies(Environment environment) {
        String runtime = environment.getProperty(RuntimeMode.PROPERTY, "auto").trim();
        return new SessionCookies(!RuntimeMode.LOCAL.name().equalsIgnoreCase(runtime));
    }

    /** The actuator's own port, where the platform scrapes metrics without credentials. */
    @Bean
    static ManagementPort managementPort() {
        return new ManagementPort();
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, SignedTokens tokens, SlipwayUsers users, AuthProperties properties,
                            ClientAddresses clients, FailedAuthentication failures, PasswordCheck passwords,
                            Revocations revocations, ObjectProvider<Ticker> ticker, ManagementPort managementPort)
            throws Exception {
        AuthenticationEntryPoint unauthorized = (request, response, error) -> {
            if (error instanceof TooManyFailuresException throttled) {
                Refusals.tooManyFailures(response, throttled);
                return;
            }
            ErrorResponses.write(response, HttpStatus.UNAUTHORIZED, "unauthorized",
                    "log in: send HTTP Basic credentials, a Bearer token from /api/v1/authtoken, or the session cookie");
        };
        AccessDeniedHandler forbidden = (request, response, error) -> ErrorResponses.write(response,
                HttpStatus.FORBIDDEN, "forbidden", "your role does not allow this");
        return http
                // replaced by SessionCsrfFilter, which checks only what the cookie authenticated
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        // the end of a stream (SSE) is an async dispatch of a request already authorized
                        .dispatcherTypeMatchers(jakarta.servlet.DispatcherType.ASYNC).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        // metrics: open on the actuator's own port (scraping inside the cluster), else admins only
                        .requestMatchers(new AndRequestMatcher(managementPort, PathPatternRequestMatcher.withDefaults()
                                .matcher("/actuator/prometheus"))).permitAll()
                        .requestMatchers("/actuator/prometheus").hasAuthority(SlipwayUsers.ADMIN)
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**").permitAll()
                        .requestMatchers("/api/v1/login", "/error").permitAll()
                        // the web console's files hold no data: every figure it shows comes from the API
                        .requestMatchers(HttpMethod.GET, ConsolePaths.PUBLIC).permitAll()
                        .anyRequest().authenticated())
                .authenticationManager(new ProviderManager(new BasicCredentialsProvider(passwords, users)))
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized)
                        .authenticationDetailsSource(clients::of))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .addFilterBefore(new LoginRateLimitFilter(properties.loginsPerMinute(), properties.throttle().capacity(),
                        clients, ticker.getIfAvailable(Ticker::systemTicker)), BasicAuthenticationFilter.class)
                .addFilterBefore(new TokenAuthenticationFilter(tokens, users, clients, failures, revocations),
                        BasicAuthenticationFilter.class)
                .addFilterAfter(new SessionCsrfFilter(tokens), AuthorizationFilter.class)
                .build();
    }
}
