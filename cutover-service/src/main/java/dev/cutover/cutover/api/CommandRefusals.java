package dev.cutover.cutover.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cutover.cutover.migration.MigrationId;
import dev.cutover.cutover.migration.runner.MigrationQueries;
import dev.cutover.cutover.runner.CutoverQueries;
import dev.cutover.cutover.saga.CutoverId;
import dev.cutover.cutover.security.ApiSecuritySettings;
import dev.cutover.events.CommandRefused;
import dev.cutover.platform.MessagePublisher;

/**
 * The answer to an authenticated caller whose roles do not allow what it asked: 403 with what would allow it, and, for
 * a command, {@code CommandRefused} on {@code cutover.events}, about the cutover, migration or database it named, so
 * the refused attempt is in the audit trail beside the commands that were carried out. A refused read is only logged:
 * it changes nothing, and a log line is enough to see who looks.
 */
@Component
@ConditionalOnProperty(name = "cutover.security.enabled", havingValue = "true")
class CommandRefusals implements AccessDeniedHandler {

    private static final Logger log = LoggerFactory.getLogger(CommandRefusals.class);
    private static final Pattern ABORT = Pattern.compile("/(cutovers|migrations)/([^/]+)/abort");
    /** Metadata names a database; one the request does not let us find is named so. */
    static final String UNKNOWN_DATABASE = "unknown";

    private final MessagePublisher publisher;
    private final CutoverQueries cutovers;
    private final MigrationQueries migrations;
    private final JsonMapper json;
    private final String operatorRole;

    CommandRefusals(MessagePublisher publisher, CutoverQueries cutovers, MigrationQueries migrations, JsonMapper json,
            ApiSecuritySettings settings) {
        this.publisher = publisher;
        this.cutovers = cutovers;
        this.migrations = migrations;
        this.json = json;
        this.operatorRole = settings.operatorRole();
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        String principal = caller == null ? "anonymous" : caller.getName();
        List<String> roles = caller == null ? List.of() : caller.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith("ROLE_"))
                .map(authority -> authority.substring("ROLE_".length()))
                .toList();
        String action = request.getMethod() + " " + request.getRequestURI();
        String reason = principal + " has the roles " + roles + ", and " + action + " needs the role " + operatorRole
                + ": ask whoever runs your identity provider to grant it";
        if ("POST".equals(request.getMethod())) {
            record(request, principal, action, roles, reason);
        } else {
            log.warn("refused {} to {}: {}", action, principal, reason);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", HttpStatus.FORBIDDEN.value());
        body.put("error", HttpStatus.FORBIDDEN.getReasonPhrase());
        body.put("message", reason);
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }

    private void record(HttpServletRequest request, String principal, String action, List<String> roles,
            String reason) throws IOException {
        Matcher abort = ABORT.matcher(request.getRequestURI());
        String cutoverId = null;
        String migrationId = null;
        String database;
        if (abort.matches() && abort.group(1).equals("cutovers")) {
            cutoverId = abort.group(2);
            database = known(() -> cutovers.state(new CutoverId(abort.group(2)))
                    .map(state -> CutoverView.of(abort.group(2), state).database()));
        } else if (abort.matches()) {
            migrationId = abort.group(2);
            database = known(() -> migrations.state(new MigrationId(abort.group(2)))
                    .map(state -> MigrationView.of(abort.group(2), state).database()));
        } else {
            database = databaseNamedIn(request).orElse(UNKNOWN_DATABASE);
        }
        publisher.publish(CommandRefused.newBuilder()
                .setMetadata(publisher.originating(database, cutoverId, migrationId))
                .setPrincipal(principal)
                .setAction(action)
                .setRoles(roles)
                .setReason(reason)
                .build());
        log.warn("refused {} to {} and recorded it in cutover.events: {}", action, principal, reason);
    }

    /** An id the path names may be no valid id at all (too long, say): the refusal is recorded all the same. */
    private static String known(Supplier<Optional<String>> database) {
        try {
            return database.get().orElse(UNKNOWN_DATABASE);
        } catch (IllegalArgumentException notAnId) {
            return UNKNOWN_DATABASE;
        }
    }

    /** The body has not been read: authorization comes before the controller. */
    private Optional<String> databaseNamedIn(HttpServletRequest request) throws IOException {
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
