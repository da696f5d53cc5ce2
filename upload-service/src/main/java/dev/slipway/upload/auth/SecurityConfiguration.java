package dev.slipway.upload.auth;

import dev.slipway.upload.api.ErrorResponses;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may call what: health and the API description are open, login is open (rate-limited),
 * everything else needs HTTP Basic, a signed token or the session cookie. No server-side sessions,
 * so every replica answers the same.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger audit = LoggerFactory.getLogger("dev.slipway.audit");

    @Bean
    SlipwayUsers slipwayUsers(AuthProperties properties) {
        return new SlipwayUsers(properties.users());
    }

    @Bean
    SignedTokens signedTokens(AuthProperties properties) {
        return new SignedTokens(properties.tokenKey(), Clock.systemUTC());
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, SignedTokens tokens, SlipwayUsers users, AuthProperties properties)
            throws Exception {
        AuthenticationEntryPoint unauthorized = (request, response, error) -> ErrorResponses.write(response,
                HttpStatus.UNAUTHORIZED, "unauthorized",
                "log in: send HTTP Basic credentials, a Bearer token from /api/v1/authtoken, or the session cookie");
        AccessDeniedHandler forbidden = (request, response, error) -> ErrorResponses.write(response,
                HttpStatus.FORBIDDEN, "forbidden", "your role does not allow this");
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        // the end of a stream (SSE) is an async dispatch of a request already authorized
                        .dispatcherTypeMatchers(jakarta.servlet.DispatcherType.ASYNC).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**").permitAll()
                        .requestMatchers("/api/v1/login", "/error").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .addFilterBefore(new LoginRateLimitFilter(properties.loginsPerMinute()), BasicAuthenticationFilter.class)
                .addFilterBefore(new TokenAuthenticationFilter(tokens, users), BasicAuthenticationFilter.class)
                .build();
    }

    /** Failed logins go to the audit log: who was tried, never the password. */
    @EventListener
    void failedLogin(AuthenticationFailureBadCredentialsEvent event) {
        audit.warn("login failed for user '{}' ({})", event.getAuthentication().getName(),
                event.getException().getMessage());
    }
}
