package dev.cutover.cutover.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * A token's roles, from the configured claim, as {@code ROLE_<role>} authorities; its principal is the subject. Identity
 * providers put roles in different places (a list in {@code roles} or {@code groups}, Keycloak's
 * {@code realm_access.roles}, a space-separated string), so the claim is a dotted path and either shape is read.
 */
final class JwtRoles implements Converter<Jwt, AbstractAuthenticationToken> {

    private final String[] path;

    JwtRoles(String claim) {
        this.path = claim.split("\\.");
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        List<GrantedAuthority> authorities = roles(jwt).stream()
                .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role))
                .toList();
        return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
    }

    List<String> roles(Jwt jwt) {
        Object value = jwt.getClaims();
        for (String step : path) {
            if (!(value instanceof Map<?, ?> object)) {
                return List.of();
            }
            value = object.get(step);
        }
        return switch (value) {
            case Collection<?> list -> list.stream().map(String::valueOf).toList();
            case String words -> List.of(words.trim().split("\\s+")).stream().filter(role -> !role.isEmpty()).toList();
            case null, default -> List.of();
        };
    }
}
