package dev.cutover.cutover.api;

import java.security.Principal;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.cutover.cutover.migration.Migration;
import dev.cutover.cutover.migration.MigrationId;
import dev.cutover.cutover.migration.runner.MigrationQueries;
import dev.cutover.events.AbortMigration;
import dev.cutover.events.StartMigration;
import dev.cutover.events.VerificationMode;
import dev.cutover.platform.MessagePublisher;

/**
 * Migrations over HTTP, like {@link CutoverController}: starting and aborting publish the command and answer 202,
 * the saga decides on whichever instance owns the migration; reading shows this instance's projection of the log.
 */
@RestController
@RequestMapping("/migrations")
class MigrationController {

    private final MessagePublisher publisher;
    private final MigrationQueries queries;

    MigrationController(MessagePublisher publisher, MigrationQueries queries) {
        this.publisher = publisher;
        this.queries = queries;
    }

    /**
     * @param parallelism tables copied and post-data statements run at once; 0 or absent: each service's setting
     * @param dryRun      only plan: preflight, and what the load would move and how long it would take; absent: false
     * @param verify      {@code full} or {@code sampled}: how VerifyData compares the data; absent: the replicator's
     *                    setting
     */
    record StartRequest(String database, String operator, Integer parallelism, String reason, Boolean dryRun,
            String verify) {
    }

    /** @param dropTargetTables also drop the target's tables of the migration's schemas; absent: keep them */
    record AbortRequest(String operator, String reason, Boolean dropTargetTables) {

        boolean dropTables() {
            return Boolean.TRUE.equals(dropTargetTables);
        }
    }

    @PostMapping
    ResponseEntity<Map<String, String>> start(@RequestBody StartRequest request, Principal caller) {
        OperatorRequests.require(request.database(), "database");
        String operator = OperatorRequests.operator(caller, request.operator());
        if (request.parallelism() != null && request.parallelism() < 0) {
            throw new OperatorRequests.BadRequest("parallelism must be 0 (each service's setting) or more, was "
                    + request.parallelism());
        }
        VerificationMode verify = verificationMode(request.verify());
        String id = OperatorRequests.newId(request.database() + "-migration");
        publisher.publish(StartMigration.newBuilder()
                .setMetadata(publisher.originating(request.database(), null, id))
                .setOperator(operator)
                .setParallelism(request.parallelism() == null ? 0 : request.parallelism())
                .setReason(request.reason())
                .setDryRun(Boolean.TRUE.equals(request.dryRun()))
                .setVerify(verify)
                .build());
        return accepted(id);
    }

    private static VerificationMode verificationMode(String verify) {
        if (verify == null) {
            return null;
        }
        return switch (verify.toLowerCase(Locale.ROOT)) {
            case "full" -> VerificationMode.FULL;
            case "sampled" -> VerificationMode.SAMPLED;
            default -> throw new OperatorRequests.BadRequest("verify must be full or sampled (or absent for the"
                    + " replicator's setting), was " + verify);
        };
    }

    /** Refuses here what the saga would refuse anyway, so the caller hears it in the answer rather than in the log. */
    @PostMapping("/{id}/abort")
    ResponseEntity<Map<String, String>> abort(@PathVariable String id, @RequestBody AbortRequest request,
            Principal caller) {
        String operator = OperatorRequests.operator(caller, request.operator());
        Migration state = state(id);
        if (state instanceof Migration.Rejected) {
            throw new OperatorRequests.Conflict("migration " + id + " was rejected at its start and touched nothing:"
                    + " nothing to abort");
        }
        if (MigrationView.of(id, state).isDryRun() && !(state instanceof Migration.Running)) {
            throw new OperatorRequests.Conflict("migration " + id + " is a dry run, which changed nothing: nothing to"
                    + " abort or clean up");
        }
        if (state instanceof Migration.Ready && request.dropTables()) {
            throw new OperatorRequests.Conflict("migration " + id + " is ready, so its target may already serve the"
                    + " application after a cutover: its tables are not dropped; abort without dropTargetTables to"
                    + " remove only the replication");
        }
        publisher.publish(AbortMigration.newBuilder()
                .setMetadata(publisher.originating(MigrationView.of(id, state).database(), null, id))
                .setOperator(operator)
                .setReason(request.reason())
                .setDropTargetTables(request.dropTables())
                .build());
        return accepted(id);
    }

    @GetMapping("/{id}")
    MigrationView status(@PathVariable String id) {
        return MigrationView.of(id, state(id));
    }

    @GetMapping("/{id}/timeline")
    MigrationTimelineView timeline(@PathVariable String id) {
        return MigrationTimelineView.of(id, state(id), Instant.now());
    }

    private Migration state(String id) {
        return queries.state(new MigrationId(id)).orElseThrow(() -> new UnknownMigration(id));
    }

    private static ResponseEntity<Map<String, String>> accepted(String id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("migrationId", id, "status", "/migrations/" + id));
    }

    @ResponseStatus(HttpStatus.NOT_FOUND)
    static class UnknownMigration extends RuntimeException {
        UnknownMigration(String id) {
            super("no migration " + id + " in cutover.events as far as this instance has read it: check the id"
                    + " (cutoverctl migrate status --database NAME finds the newest); one started a moment ago shows"
                    + " within a second");
        }
    }
}
