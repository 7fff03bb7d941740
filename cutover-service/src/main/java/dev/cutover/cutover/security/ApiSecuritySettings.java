package dev.cutover.cutover.security;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the ops API, under {@code cutover.security}. Off by default: the local stack, the rehearsal and the
 * tests that do not ask for it run as before, with the operator a command names.
 *
 * @param enabled           every call but health, info and metrics needs a valid JWT
 * @param issuerUri         the identity provider's issuer: tokens must name it ({@code iss}); without {@code jwk-set-uri}
 *                          or {@code public-key-location} its keys are found through its OpenID discovery document
 * @param jwkSetUri         where the provider publishes its signing keys
 * @param publicKeyLocation a PEM file ({@code -----BEGIN PUBLIC KEY-----}) with the RSA key tokens are signed with
 * @param audience          when set, tokens must name it in {@code aud}
 * @param rolesClaim        the claim holding the caller's roles, a list or a space-separated string; a dotted path
 *                          reaches into an object, e.g. {@code realm_access.roles} for Keycloak
 * @param operatorRole      the role that may start and abort cutovers and migrations (and read them)
 * @param viewerRole        the role that may only read them
 */
@ConfigurationProperties("cutover.security")
public record ApiSecuritySettings(
        @DefaultValue("false") boolean enabled,
        URI issuerUri,
        URI jwkSetUri,
        Path publicKeyLocation,
        String audience,
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue("operator") String operatorRole,
        @DefaultValue("viewer") String viewerRole) {

    public ApiSecuritySettings {
        if (enabled) {
            if (issuerUri == null && jwkSetUri == null && publicKeyLocation == null) {
                throw new IllegalArgumentException("cutover.security.enabled is true but nothing says how to check a"
                        + " token: set cutover.security.issuer-uri (your identity provider's issuer, e.g."
                        + " https://login.example.com/realms/ops), cutover.security.jwk-set-uri, or"
                        + " cutover.security.public-key-location (a PEM file with the RSA public key)");
            }
            if (jwkSetUri != null && publicKeyLocation != null) {
                throw new IllegalArgumentException("set either cutover.security.jwk-set-uri or"
                        + " cutover.security.public-key-location, not both: they are two ways to give the signing key");
            }
            if (publicKeyLocation != null && !Files.isReadable(publicKeyLocation)) {
                throw new IllegalArgumentException("cutover.security.public-key-location " + publicKeyLocation
                        + " is not a readable file: give the path of the PEM file with the RSA public key tokens are"
                        + " signed with");
            }
            requireText(rolesClaim, "roles-claim", "roles");
            requireText(operatorRole, "operator-role", "operator");
            requireText(viewerRole, "viewer-role", "viewer");
        }
    }

    private static void requireText(String value, String name, String example) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("cutover.security." + name + " is empty: name it, e.g. " + example);
        }
    }
}
