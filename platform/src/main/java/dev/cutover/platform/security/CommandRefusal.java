package dev.cutover.platform.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cutover.events.CommandRefused;
import dev.cutover.platform.MessagePublisher;

/**
 * An authenticated caller asked over HTTP for something its roles do not allow: who, with which roles, what, and what
 * would allow it. The ops API and the console answer it alike: 403 with the reason, and for a command
 * {@code CommandRefused} on {@code cutover.events}, so the refused attempt is in the audit trail beside the commands
 * that were carried out. Each finds the database the request is about in its own reading of the log.
 *
 * @param principal the authenticated name, never one the request typed
 * @param roles     the caller's roles, without Spring's {@code ROLE_} prefix
 * @param action    the HTTP method and path, e.g. {@code POST /cutovers/shop-20261206-101500-4f2a/abort}
 * @param reason    why, and what to do about it, for a person to read
 */
public record CommandRefusal(String principal, List<String> roles, String action, String reason) {

    /** Metadata names a database; one the request does not let us find is named so. */
    public static final String UNKNOWN_DATABASE = "unknown";

    private static final Logger log = LoggerFactory.getLogger(CommandRefusal.class);

    /** Records a refused command with the database, cutover or migration its request is about ({@link #record}). */
    @FunctionalInterface
    public interface Recorder {

        void record(CommandRefusal refusal) throws IOException;
    }

    public CommandRefusal {
        roles = List.copyOf(roles);
    }

    /**
     * @param neededRole the role the request needs
     * @param howToGetIt who grants it, e.g. "ask whoever runs your identity provider to grant it"
     */
    public static CommandRefusal of(Authentication caller, HttpServletRequest request, String neededRole,
            String howToGetIt) {
        String principal = caller == null ? "anonymous" : caller.getName();
        List<String> roles = caller == null ? List.of() : caller.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith("ROLE_"))
                .map(authority -> authority.substring("ROLE_".length()))
                .toList();
        String action = request.getMethod() + " " + request.getRequestURI();
        return new CommandRefusal(principal, roles, action, principal + " has the roles " + roles + ", and " + action
                + " needs the role " + neededRole + ": " + howToGetIt);
    }

    /** The same refusal for another reason, e.g. a request without the page's CSRF token. */
    public CommandRefusal because(String otherReason) {
        return new CommandRefusal(principal, roles, action, otherReason);
    }

    /** A read changes nothing: a log line is enough to see who looks. Only a command goes to the audit trail. */
    public static boolean isCommand(HttpServletRequest request) {
        return "POST".equals(request.getMethod());
    }

    /**
     * What every refusal comes to: a command recorded by {@code recorder} (before the answer, so a caller that saw its
     * 403 can find the refusal in the log), a read only logged; then the 403.
     */
    public void settle(HttpServletRequest request, HttpServletResponse response, JsonMapper json, Recorder recorder)
            throws IOException {
        if (isCommand(request)) {
            recorder.record(this);
            log.warn("refused {} to {} and recorded it in cutover.events: {}", action, principal, reason);
        } else {
            log.warn("refused {} to {}: {}", action, principal, reason);
        }
        answer(response, json);
    }

    /** Published before the answer, so a caller that saw its 403 can find the refusal in the log. */
    public void record(MessagePublisher publisher, String database, String cutoverId, String migrationId) {
        publisher.publish(CommandRefused.newBuilder()
                .setMetadata(publisher.originating(database, cutoverId, migrationId))
                .setPrincipal(principal)
                .setAction(action)
                .setRoles(roles)
                .setReason(reason)
                .build());
    }

    /** 403 with the reason as JSON: {@code status}, {@code error}, {@code message}. */
    public void answer(HttpServletResponse response, JsonMapper json) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", HttpStatus.FORBIDDEN.value());
        body.put("error", HttpStatus.FORBIDDEN.getReasonPhrase());
        body.put("message", reason);
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }

    /**
     * The {@code database} a JSON request body names, read before any controller did: authorization comes first.
     * Empty for a body that is not JSON or names none.
     */
    public static Optional<String> databaseNamedIn(HttpServletRequest request, JsonMapper json) throws IOException {
        try {
            JsonNode body = json.readTree(request.getInputStream());
            JsonNode database = body == null ? null : body.get("database");
            return database != null && database.isString() && !database.asString().isBlank()
                    ? Optional.of(database.asString()) : Optional.empty();
        } catch (JacksonException notJson) {
            return Optional.empty();
        }
    }
}
