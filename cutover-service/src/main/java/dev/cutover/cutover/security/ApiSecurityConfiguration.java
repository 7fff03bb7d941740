package dev.cutover.cutover.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The ops API as an OAuth2 resource server, when {@code cutover.security.enabled}: health, info and the Prometheus
 * metrics stay open (deployments and the rehearsal poll health, Prometheus scrapes without a token, and neither says
 * anything a caller could act on); reading a cutover or a migration needs the viewer or the operator role; starting or
 * aborting one, and any other actuator endpoint someone exposes, the operator role. Without it, platform's open chain
 * applies and the API behaves as it always did.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiSecuritySettings.class)
@ConditionalOnProperty(name = "cutover.security.enabled", havingValue = "true")
class ApiSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApiSecurityConfiguration.class);
    private static final String[] OPS_API = {"/cutovers", "/cutovers/**", "/migrations", "/migrations/**"};

    @Bean
    SecurityFilterChain opsApiSecurity(HttpSecurity http, ApiSecuritySettings settings, JwtDecoder decoder,
            AccessDeniedHandler refusals) throws Exception {
        String operator = settings.operatorRole();
        http
                // Bearer tokens, no cookies: a browser cannot be made to send one, so there is nothing to forge.
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus", "/error").permitAll()
                        .requestMatchers(HttpMethod.GET, OPS_API).hasAnyRole(settings.viewerRole(), operator)
                        .requestMatchers(HttpMethod.POST, OPS_API).hasRole(operator)
                        .anyRequest().hasRole(operator))
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(new JwtRoles(settings.rolesClaim())))
                        .authenticationEntryPoint(new SayWhatToSend())
                        .accessDeniedHandler(refusals))
                .exceptionHandling(exceptions -> exceptions.accessDeniedHandler(refusals));
        log.info("ops API security on: tokens checked against {}, roles from claim '{}', {} may act, {} may read",
                keySource(settings), settings.rolesClaim(), operator, settings.viewerRole());
        return http.build();
    }

    @Bean
    JwtDecoder opsApiJwtDecoder(ApiSecuritySettings settings) {
        NimbusJwtDecoder decoder;
        if (settings.publicKeyLocation() != null) {
            decoder = NimbusJwtDecoder.withPublicKey(publicKey(settings)).build();
        } else if (settings.jwkSetUri() != null) {
            decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri().toString()).build();
        } else {
            // Resolves the provider's keys on the first token, not at start-up: the API starts while the provider is away.
            decoder = NimbusJwtDecoder.withIssuerLocation(settings.issuerUri().toString()).build();
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(settings.issuerUri() == null ? JwtValidators.createDefault()
                : JwtValidators.createDefaultWithIssuer(settings.issuerUri().toString()));
        if (settings.audience() != null && !settings.audience().isBlank()) {
            validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                    audiences -> audiences != null && audiences.contains(settings.audience())));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    private static RSAPublicKey publicKey(ApiSecuritySettings settings) {
        try {
            String pem = Files.readString(settings.publicKeyLocation(), StandardCharsets.US_ASCII);
            String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("cutover.security.public-key-location " + settings.publicKeyLocation()
                    + " does not hold an RSA public key in PEM (-----BEGIN PUBLIC KEY-----, e.g. from `openssl rsa"
                    + " -in key.pem -pubout`): " + e.getMessage(), e);
        }
    }

    private static String keySource(ApiSecuritySettings settings) {
        if (settings.publicKeyLocation() != null) {
            return "the public key in " + settings.publicKeyLocation();
        }
        return settings.jwkSetUri() != null ? "the JWK set at " + settings.jwkSetUri()
                : "the keys of issuer " + settings.issuerUri();
    }

    /** The 401 of the standard entry point (with its WWW-Authenticate header), and a body saying what to send. */
    private static final class SayWhatToSend implements AuthenticationEntryPoint {

        private final BearerTokenAuthenticationEntryPoint standard = new BearerTokenAuthenticationEntryPoint();

        @Override
        public void commence(HttpServletRequest request, HttpServletResponse response,
                AuthenticationException exception) throws IOException {
            standard.commence(request, response, exception);
            log.warn("refused {} {} from {}: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                    exception.getMessage());
            response.setContentType("application/json");
            response.getWriter().write("{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"send a valid token"
                    + " from the identity provider as 'Authorization: Bearer <token>': " + jsonText(exception.getMessage())
                    + "\"}");
        }
    }

    static String jsonText(String text) {
        return text == null ? "" : text.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n\\t]", " ");
    }
}
