package dev.cutover.cutover.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class ApiSecuritySettingsUnitTest {

    @Test
    void securitySwitchedOnWithoutAWayToCheckTokensSaysWhatToSet() {
        assertThatThrownBy(() -> new ApiSecuritySettings(true, null, null, null, null, "roles", "operator", "viewer"))
                .hasMessageContaining("set cutover.security.issuer-uri")
                .hasMessageContaining("cutover.security.jwk-set-uri")
                .hasMessageContaining("cutover.security.public-key-location");
    }

    @Test
    void aPublicKeyFileThatIsNotThereIsNamed() {
        assertThatThrownBy(() -> new ApiSecuritySettings(true, null, null, Path.of("no-such-key.pem"), null, "roles",
                "operator", "viewer"))
                .hasMessageContaining("no-such-key.pem is not a readable file");
    }

    @Test
    void aKeySetAndAKeyFileTogetherAreRefused() {
        assertThatThrownBy(() -> new ApiSecuritySettings(true, null, URI.create("https://login.example.com/keys"),
                Path.of("key.pem"), null, "roles", "operator", "viewer"))
                .hasMessageContaining("not both");
    }

    @Test
    void switchedOffNothingIsRequired() {
        assertThat(new ApiSecuritySettings(false, null, null, null, null, "roles", "operator", "viewer").enabled())
                .isFalse();
    }

    @Test
    void rolesAreReadFromAListAStringOrANestedClaim() {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "RS256").subject("alice").issuedAt(Instant.now())
                .claim("roles", List.of("operator", "viewer"))
                .claim("scope", "viewer  operator")
                .claim("realm_access", Map.of("roles", List.of("operator")))
                .build();

        assertThat(new JwtRoles("roles").roles(jwt)).containsExactly("operator", "viewer");
        assertThat(new JwtRoles("scope").roles(jwt)).containsExactly("viewer", "operator");
        assertThat(new JwtRoles("realm_access.roles").roles(jwt)).containsExactly("operator");
        assertThat(new JwtRoles("groups").roles(jwt)).isEmpty();
        assertThat(new JwtRoles("roles").convert(jwt).getName()).isEqualTo("alice");
        assertThat(new JwtRoles("roles").convert(jwt).getAuthorities()).extracting(Object::toString)
                .containsExactly("ROLE_operator", "ROLE_viewer");
    }
}
