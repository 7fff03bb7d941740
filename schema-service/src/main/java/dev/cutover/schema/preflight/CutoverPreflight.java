package dev.cutover.schema.preflight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Replication;
import dev.cutover.platform.database.WarmConnections;

/**
 * The cutover's preflight, which its operator waits for before the switch: the servers' facts and the replication's
 * proof, read at once. Neither needs the other: the facts are catalog reads, the proof mostly waits for its canary to
 * cross the replication. Each has its own logins, kept between cutovers, so neither waits for the other's connection
 * nor logs in while the cutover starts.
 */
public final class CutoverPreflight implements AutoCloseable {

    private static final Executor PROOF_THREAD = task -> Thread.ofVirtual().name("preflight-proof").start(task);

    private final PreflightChecker checker;
    private final WarmConnections proofConnections = new WarmConnections();
    private final ReplicationProof proof;

    /**
     * @param checker   reads the facts, on its own connections
     * @param roundTrip how long the proof's canary may take to reach the target
     */
    public CutoverPreflight(PreflightChecker checker, Duration roundTrip) {
        this.checker = checker;
        this.proof = new ReplicationProof(roundTrip, proofConnections);
    }

    /**
     * What the preflight found, with how long its parts took.
     *
     * @param facts the facts' report, its findings among {@code findings}
     * @param proof how long the proof took, beside the facts
     */
    public record Result(List<Finding> findings, PreflightChecker.Report facts, Duration proof) {

        public Result {
            findings = List.copyOf(findings);
        }
    }

    /** Reads the facts and proves the replication at once; a failure of either is thrown once both have ended. */
    public Result run(DatabasePair pair, String database, Replication replication) {
        CompletableFuture<Proved> proving = CompletableFuture.supplyAsync(() -> {
            long started = System.nanoTime();
            List<Finding> found = proof.prove(pair, database, replication);
            return new Proved(found, Duration.ofNanos(System.nanoTime() - started));
        }, PROOF_THREAD);
        PreflightChecker.Report facts;
        try {
            facts = checker.run(pair, Scope.CUTOVER);
        } catch (RuntimeException e) {
            // The proof's canary is deleted and its connections handed back before this fails.
            proving.exceptionally(failure -> null).join();
            throw e;
        }
        Proved proved = PreflightChecker.join(proving);
        List<Finding> findings = new ArrayList<>(facts.findings());
        findings.addAll(proved.findings());
        return new Result(findings, facts, proved.took());
    }

    /** Logs the proof in to both servers in the background, so that the first cutover does not. */
    public void warm(DatabasePair pair) {
        proofConnections.warm(pair.source());
        proofConnections.warm(pair.target());
    }

    @Override
    public void close() {
        proofConnections.close();
    }

    private record Proved(List<Finding> findings, Duration took) {
    }
}
