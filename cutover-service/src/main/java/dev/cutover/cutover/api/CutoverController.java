package dev.cutover.cutover.api;

import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cutover.cutover.runner.CutoverQueries;
import dev.cutover.cutover.saga.CutoverId;
import dev.cutover.events.AbortCutover;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StartFallback;
import dev.cutover.platform.MessagePublisher;

/**
 * Ops over HTTP, on any instance. Starting, aborting and falling back only publish the command, as cutoverctl does: the saga
 * decides, on whichever instance owns the cutover's partition (an operator who is not allowed is rejected there, and
 * audited in the log), so the answer is 202. With {@code cutover.security.enabled} the operator is the caller's token
 * subject, and a caller without the operator role never gets here ({@link CommandRefusals}). Reading shows the cutover as this instance's projection of
 * {@code cutover.events} has it, whichever instance runs it: a poll behind the log.
 */
@RestController
@RequestMapping("/cutovers")
class CutoverController {

    private final MessagePublisher publisher;
    private final CutoverQueries queries;

    CutoverController(MessagePublisher publisher, CutoverQueries queries) {
        this.publisher = publisher;
        this.queries = queries;
    }

    /** @param dryRun absent is false: the JSON reader refuses a missing value for a primitive */
    record StartRequest(String database, String operator, Boolean dryRun, String reason) {
    }

    /** An abort's, and a fallback's. */
    record AbortRequest(String operator, String reason) {
    }

    @PostMapping
    ResponseEntity<Map<String, String>> start(@RequestBody StartRequest request, Principal caller) {
        OperatorRequests.require(request.database(), "database");
        String operator = OperatorRequests.operator(caller, request.operator());
        String id = OperatorRequests.newId(request.database());
        publisher.publish(StartCutover.newBuilder()
                .setMetadata(publisher.originating(request.database(), id, null))
                .setOperator(operator)
                .setDryRun(Boolean.TRUE.equals(request.dryRun()))
                .setReason(request.reason())
                .build());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("cutoverId", id, "status", "/cutovers/" + id));
    }

    /** Where an abort has nothing left to act on, as cutoverctl abort refuses it too. */
    private static final Set<String> ENDED = Set.of("ROLLED_BACK", "REJECTED", "PLANNED", "COMPLETED");

    @PostMapping("/{id}/abort")
    ResponseEntity<Map<String, String>> abort(@PathVariable String id, @RequestBody AbortRequest request,
            Principal caller) {
        String operator = OperatorRequests.operator(caller, request.operator());
        OperatorRequests.require(request.reason(), "reason");
        CutoverView view = view(id);
        if (ENDED.contains(view.status())) {
            throw new OperatorRequests.Conflict("cutover " + id + " has already ended (" + view.status()
                    + "): nothing to abort");
        }
        if (view.status().equals("COMPENSATING")) {
            // The saga would take a second abort for the first one read again, and say nothing.
            throw new OperatorRequests.Conflict("cutover " + id + " is already rolling back (" + view.reason()
                    + "): an abort asks for nothing more; follow it at /cutovers/" + id + "/timeline");
        }
        publisher.publish(AbortCutover.newBuilder()
                .setMetadata(publisher.originating(view.database(), id, null))
                .setOperator(operator)
                .setReason(request.reason())
                .build());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("cutoverId", id, "status", "/cutovers/" + id));
    }

    /**
     * Moves a completed cutover's clients back to the source (the fallback saga, cutover-service README). The reason
     * is required as an abort's is: a fallback undoes a change someone approved, so the audit trail says why.
     */
    @PostMapping("/{id}/fallback")
    ResponseEntity<Map<String, String>> fallback(@PathVariable String id, @RequestBody AbortRequest request,
            Principal caller) {
        String operator = OperatorRequests.operator(caller, request.operator());
        OperatorRequests.require(request.reason(), "reason");
        CutoverView view = view(id);
        publisher.publish(StartFallback.newBuilder()
                .setMetadata(publisher.originating(view.database(), id, null))
                .setOperator(operator)
                .setReason(request.reason())
                .build());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("cutoverId", id, "status", "/cutovers/" + id));
    }

    @GetMapping("/{id}")
    CutoverView status(@PathVariable String id) {
        return view(id);
    }

    @GetMapping("/{id}/timeline")
    CutoverTimelineView timeline(@PathVariable String id) {
        return queries.state(new CutoverId(id)).map(state -> CutoverTimelineView.of(id, state, Instant.now()))
                .orElseThrow(() -> new UnknownCutover(id));
    }

    private CutoverView view(String id) {
        return queries.state(new CutoverId(id)).map(state -> CutoverView.of(id, state))
                .orElseThrow(() -> new UnknownCutover(id));
    }

    @org.springframework.web.bind.annotation.ResponseStatus(HttpStatus.NOT_FOUND)
    static class UnknownCutover extends RuntimeException {
        UnknownCutover(String id) {
            super("no cutover " + id + " in cutover.events as far as this instance has read it: check the id"
                    + " (cutoverctl status --cutover <id> reads the whole log for it); one started a moment ago shows within a"
                    + " second");
        }
    }
}
