package dev.slipway.upload.auth;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * HTTP Basic through the same {@link PasswordCheck} as login. The request's client address comes
 * in as the authentication's details (see {@link SecurityConfiguration}).
 */
final class BasicCredentialsProvider implements AuthenticationProvider {

    private final PasswordCheck check;
    private final SlipwayUsers users;

    BasicCredentialsProvider(PasswordCheck check, SlipwayUsers users) {
        this.check = check;
        this.users = users;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Object password = authentication.getCredentials();
        AuthProperties.User user = check.check("basic", authentication.getName(),
                password == null ? null : password.toString(), String.valueOf(authentication.getDetails()));
        UserDetails details = users.loadUserByUsername(user.username());
        return UsernamePasswordAuthenticationToken.authenticated(details, null, details.getAuthorities());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
