package dev.cutover.console.command;

import java.security.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.cutover.console.web.Hub;
import dev.cutover.ctl.CutoverIds;
import dev.cutover.ctl.replay.CutoverSummary;
import dev.cutover.ctl.replay.MigrationSummary;
import dev.cutover.ctl.replay.Outcome;
import dev.cutover.events.AbortCutover;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StartFallback;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.PublishFailed;

/**
 * Start, abort and fallback from the page, on the same paths as cutover-service's ops API. Only a logged-in operator
 * gets here (login/ConsoleSecurity); the operator written on the command is who logged in, never a name the request
 * gives. Each request repeats the database's name as its confirmation and says why. What the console has read decides
 * whether the command makes sense now (a ready migration, a cutover still running, a completed one); the saga decides
 * the rest, and its answer shows in the cutover's timeline like anyone else's. 202: the command is in the log.
 */
@RestController
@RequestMapping("/cutovers")
@ConditionalOnProperty(name = "cutover.console.users-file")
class CommandController {

    private static final Logger log = LoggerFactory.getLogger(CommandController.class);

    private final MessagePublisher publisher;
    private final Hub hub;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    CommandController(MessagePublisher publisher, Hub hub, Clock clock) {
        this.publisher = publisher;
        this.hub = hub;
        this.clock = clock;
    }

    /**
     * @param confirm the database's name, typed by the operator
     * @param dryRun  absent is false
     */
    record StartRequest(String database, String reason, String confirm, Boolean dryRun) {
    }

    /** An abort's, and a fallback's. */
    record Request(String reason, String confirm) {
    }

    @PostMapping
    ResponseEntity<Map<String, String>> start(@RequestBody StartRequest request, Principal operator) {
        String database = required(request.database(), "database");
        if (database.chars().anyMatch(Character::isWhitespace) || database.length() > 64) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'" + database + "' is no database name");
        }
        String reason = confirmed(database, request.reason(), request.confirm());
        MigrationSummary migration = hub.newestMigration(database).orElseThrow(() -> new ResponseStatusException(
                HttpStatus.CONFLICT, "no migration of " + database + " in the log: migrate it first (cutoverctl"
                + " migrate start), then cut over once it is ready"));
        if (migration.outcome() != Outcome.READY) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "the newest migration of " + database + ", "
                    + migration.migrationId() + ", is " + migration.outcome().words() + ", not ready: cut over once"
                    + " its target is verified and streaming");
        }
        String id = CutoverIds.generate(database, clock, random);
        publisher.publish(StartCutover.newBuilder()
                .setMetadata(publisher.originating(database, id, null))
                .setOperator(operator.getName())
                .setDryRun(Boolean.TRUE.equals(request.dryRun()))
                .setReason(reason)
                .build());
        log.info("{} started cutover {} of {}: {}", operator.getName(), id, database, reason);
        return accepted(id);
    }

    @PostMapping("/{id}/abort")
    ResponseEntity<Map<String, String>> abort(@PathVariable String id, @RequestBody Request request,
            Principal operator) {
        CutoverSummary cutover = known(id);
        String reason = confirmed(cutover.database(), request.reason(), request.confirm());
        if (cutover.outcome().terminal()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "cutover " + id + " has already ended ("
                    + cutover.outcome().words() + "): nothing to abort");
        }
        publisher.publish(AbortCutover.newBuilder()
                .setMetadata(publisher.originating(cutover.database(), id, null))
                .setOperator(operator.getName())
                .setReason(reason)
                .build());
        log.info("{} asked to abort cutover {} of {}: {}", operator.getName(), id, cutover.database(), reason);
        return accepted(id);
    }

    @PostMapping("/{id}/fallback")
    ResponseEntity<Map<String, String>> fallback(@PathVariable String id, @RequestBody Request request,
            Principal operator) {
        CutoverSummary cutover = known(id);
        String reason = confirmed(cutover.database(), request.reason(), request.confirm());
        if (cutover.outcome() != Outcome.COMPLETED) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "cutover " + id + " is "
                    + cutover.outcome().words() + ", not completed: only a completed cutover's clients can be moved"
                    + " back (abort one that is running)");
        }
        publisher.publish(StartFallback.newBuilder()
                .setMetadata(publisher.originating(cutover.database(), id, null))
                .setOperator(operator.getName())
                .setReason(reason)
                .build());
        log.info("{} asked to fall back cutover {} of {}: {}", operator.getName(), id, cutover.database(), reason);
        return accepted(id);
    }

    /**
     * The broker did not take the command: it is down, or the console's Kafka user may not write
     * {@code cutover.commands}. Nothing was sent, so the operator may try again.
     */
    @ExceptionHandler(PublishFailed.class)
    ResponseEntity<Map<String, String>> notWritten(PublishFailed failed, Principal operator) {
        log.error("a command of {} was not written: {}", operator.getName(), failed.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("message", failed.getMessage()
                + ". Nothing was sent: try again once Kafka answers; if it refused, the console's Kafka user needs"
                + " the console's ACLs (KafkaAccess.forService(\"console\", user))"));
    }

    private CutoverSummary known(String id) {
        return hub.cutover(id).filter(cutover -> cutover.database() != null)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no cutover " + id + " in the"
                        + " log as far as the console has read it: check the id"));
    }

    /** The reason, once the typed name matches: a click alone never stops a database's traffic. */
    private static String confirmed(String database, String reason, String confirm) {
        if (!database.equals(confirm)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "type the database's name, " + database
                    + ", to confirm");
        }
        return required(reason, "reason");
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, field + " is required: it is kept in the audit"
                    + " trail");
        }
        return value.strip();
    }

    private static ResponseEntity<Map<String, String>> accepted(String id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("cutoverId", id));
    }
}
