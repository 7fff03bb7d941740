package dev.cutover.cutover.api;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import dev.cutover.cutover.migration.MigrationId;
import dev.cutover.cutover.migration.runner.MigrationQueries;
import dev.cutover.cutover.runner.CutoverQueries;
import dev.cutover.cutover.saga.CutoverId;
import dev.cutover.cutover.security.ApiSecuritySettings;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.security.CommandRefusal;

/**
 * The answer to an authenticated caller whose roles do not allow what it asked ({@link CommandRefusal}): 403 with
 * what would allow it, and, for a command, {@code CommandRefused} on {@code cutover.events} about the cutover,
 * migration or database it named, as this instance's projection of the log knows it.
 */
@Component
@ConditionalOnProperty(name = "cutover.security.enabled", havingValue = "true")
class CommandRefusals implements AccessDeniedHandler {

    private static final Pattern ABORT = Pattern.compile("/(cutovers|migrations)/([^/]+)/(abort|fallback)");
    static final String UNKNOWN_DATABASE = CommandRefusal.UNKNOWN_DATABASE;

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
        CommandRefusal refusal = CommandRefusal.of(SecurityContextHolder.getContext().getAuthentication(), request,
                operatorRole, "ask whoever runs your identity provider to grant it");
        refusal.settle(request, response, json, refused -> record(request, refused));
    }

    private void record(HttpServletRequest request, CommandRefusal refusal) throws IOException {
        Matcher abort = ABORT.matcher(request.getRequestURI());
        if (abort.matches() && abort.group(1).equals("cutovers")) {
            refusal.record(publisher, known(() -> cutovers.state(new CutoverId(abort.group(2)))
                    .map(state -> CutoverView.of(abort.group(2), state).database())), abort.group(2), null);
        } else if (abort.matches()) {
            refusal.record(publisher, known(() -> migrations.state(new MigrationId(abort.group(2)))
                    .map(state -> MigrationView.of(abort.group(2), state).database())), null, abort.group(2));
        } else {
            refusal.record(publisher, CommandRefusal.databaseNamedIn(request, json).orElse(UNKNOWN_DATABASE), null,
                    null);
        }
    }

    /** An id the path names may be no valid id at all (too long, say): the refusal is recorded all the same. */
    private static String known(Supplier<Optional<String>> database) {
        try {
            return database.get().orElse(UNKNOWN_DATABASE);
        } catch (IllegalArgumentException notAnId) {
            return UNKNOWN_DATABASE;
        }
    }
}
