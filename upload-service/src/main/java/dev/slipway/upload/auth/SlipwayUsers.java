package dev.slipway.upload.auth;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/** The configured users, as Spring Security sees them and as {@link Caller}s. */
public class SlipwayUsers implements UserDetailsService {

    static final String ADMIN = "ROLE_ADMIN";
    static final String USER = "ROLE_USER";
    static final String NAMESPACE_PREFIX = "NAMESPACE_";
    static final String NAMESPACE_ADMIN_PREFIX = "NAMESPACE_ADMIN_";

    private final Map<String, AuthProperties.User> users;

    public SlipwayUsers(List<AuthProperties.User> users) {
        this.users = users.stream().collect(Collectors.toUnmodifiableMap(AuthProperties.User::username,
                Function.identity()));
        users.forEach(SlipwayUsers::check);
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        AuthProperties.User user = Optional.ofNullable(users.get(username))
                .orElseThrow(() -> new UsernameNotFoundException("no user " + username));
        return User.withUsername(user.username()).password(user.passwordHash()).authorities(authorities(user))
                .build();
    }

    public Optional<AuthProperties.User> find(String username) {
        return Optional.ofNullable(users.get(username));
    }

    /** The caller described by an authenticated principal's authorities. */
    public static Caller caller(String username, java.util.Collection<? extends GrantedAuthority> authorities) {
        Set<String> namespaces = new HashSet<>();
        Set<String> adminNamespaces = new HashSet<>();
        boolean admin = false;
        for (GrantedAuthority authority : authorities) {
            String name = authority.getAuthority();
            if (ADMIN.equals(name)) {
                admin = true;
            } else if (name.startsWith(NAMESPACE_ADMIN_PREFIX)) {
                adminNamespaces.add(name.substring(NAMESPACE_ADMIN_PREFIX.length()));
            } else if (name.startsWith(NAMESPACE_PREFIX)) {
                namespaces.add(name.substring(NAMESPACE_PREFIX.length()));
            }
        }
        return new Caller(username, admin, namespaces, adminNamespaces);
    }

    static List<GrantedAuthority> authorities(AuthProperties.User user) {
        Set<String> names = new HashSet<>();
        for (String role : user.roles()) {
            String[] parts = role.split(":", 2);
            boolean isAdmin = "admin".equals(parts[0]);
            if (parts.length == 1) {
                names.add(isAdmin ? ADMIN : USER);
            } else {
                names.add(USER);
                names.add((isAdmin ? NAMESPACE_ADMIN_PREFIX : NAMESPACE_PREFIX) + parts[1]);
            }
        }
        if (names.isEmpty()) {
            names.add(USER);
        }
        user.namespaces().forEach(namespace -> names.add(NAMESPACE_PREFIX + namespace));
        return names.stream().sorted().map(name -> (GrantedAuthority) new SimpleGrantedAuthority(name)).toList();
    }

    private static void check(AuthProperties.User user) {
        if (user.username() == null || user.username().isBlank()) {
            throw new IllegalArgumentException("slipway.auth.users: every user needs a username");
        }
        if (user.passwordHash() == null || !user.passwordHash().matches("\\$2[aby]\\$\\d\\d\\$.{53}")) {
            throw new IllegalArgumentException("slipway.auth.users: " + user.username()
                    + " needs a bcrypt password-hash ($2a$...), not a plain password");
        }
        for (String role : user.roles()) {
            if (!role.matches("(admin|user)(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)?")) {
                throw new IllegalArgumentException("slipway.auth.users: " + user.username() + " has role '" + role
                        + "'; roles are admin, user, admin:<namespace> or user:<namespace>");
            }
        }
    }
}
