package dev.cutover.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.cutover.sandbox.faults.CaseResult;
import dev.cutover.sandbox.faults.FaultCase;
import dev.cutover.sandbox.faults.FaultMatrix;
import dev.cutover.sandbox.faults.MatrixRun;
import dev.cutover.sandbox.rehearsal.ClientDns;
import dev.cutover.sandbox.rehearsal.Fault;
import dev.cutover.sandbox.rehearsal.FleetOptions;
import dev.cutover.sandbox.rehearsal.Layout;
import dev.cutover.sandbox.rehearsal.RehearsalOptions;
import dev.cutover.sandbox.report.Report;

/** {@code ./rehearse}: one rehearsal of a whole migration and cutover on the local stack, and its report. */
public final class Sandbox {

    /** How long the processes layout waits at most for the services to go quiet (decision 119). */
    static final Duration DEFAULT_SETTLE = Duration.ofSeconds(60);

    private static final String USAGE = """
            usage: ./rehearse [--runs N] [--fault NAME | --fault-matrix [--cases NAME,...]] [--then-fallback] [--instances N] [--client plain|starter|pgbouncer] [--client-dns-cache SECONDS[:stale]] [--method saga|plain | --compare] [--layout one-jvm|processes] [--client-dns ttl|none] [--kafka-sasl] [--replicators N] [--kill-replicator-mid-load] [--size-mb N] [--rate N] [--workers N] [--ttl SECONDS] [--warm-up WRITES] [--after WRITES] [--settle SECONDS]
              --fault     inject one failure into the saga's cutover; a rollback is then a correct outcome, and
                          the report shows the source serving again with nothing lost. The faults:
            %s
              --then-fallback  after a completed cutover, writes of the target's own, then cutoverctl fallback
                          with the client still writing: every acknowledged write is then checked on the source,
                          and the JSON gets fallbackResult, fallbackClientDowntimeMs and fallbackLostWrites
              --fault-matrix  the production layout's fault matrix (needs --layout processes): every case a
                          rehearsal of its own (by default 5 MB, 300 writes/s from 4 connections, 300 writes before
                          and after) with its fault struck at its step; a table of expected against actual outcomes,
                          then one JSON line {"cases":[...]}; --cases runs only the named ones
              --runs      rehearsals in a row; more than one prints the median and p95 of every figure (default 1)
              --method    saga: the event-driven cutover over Kafka (default); plain: the same steps run by one
                          sequential program, JDBC and DNS calls, no Kafka (the services stay idle)
              --compare   each of the --runs runs both methods, saga then plain, and prints both medians and the
                          difference: what the event-driven design costs
              --layout    one-jvm: every service and the broker in this JVM (default, fast to iterate); processes: as
                          in production, every service its own `java -jar` of its exec jar, the broker its own JVM,
                          cutoverctl run as its exec jar, and only the client left in this JVM
              --client-dns ttl: the client is a HikariCP pool and caches each DNS answer for --ttl (default);
                          none: no cache and no pool, each worker reconnects through the name after any error, as
                          libpq applications do
            %s
              --kafka-sasl Kafka in its own JVM with SASL/SCRAM and ACLs: every service logs in as its own user
                          with only its ACLs (platform's KafkaAccess), its password from a file, and cutoverctl as
                          the operator with --kafka-config; the saga method only, without --fault
              --replicators N replicator processes sharing the full load (needs --layout processes; default 1):
                          cutover.replicator.sharing.enabled on every one, and the run prints the load's tasks by the
                          instance that copied them
              --kill-replicator-mid-load  a replicator process killed with SIGKILL as the first table is reported
                          copied (needs --layout processes): started again at once when it is the only one, else left
                          dead until the migration is ready; the run prints how the load went on and what it took
              --size-mb   seed-shaped data on the source, in MB (default 200)
              --rate      client transactions per second (default 1000)
              --workers   client connections (default 8)
              --ttl       the DNS name's TTL and the client's DNS cache, whole seconds (default 1)
              --warm-up   writes acknowledged before the cutover starts (default 3000)
              --after     writes acknowledged by the target before the client stops (default 3000)
              --settle    with --layout processes, once the client has warmed up, wait at most this long for the
                          service processes to use less than 10%% of a core over a second before the cutover, as
                          they do long after a migration in production (default 60; 0: cut over at once)
            The last line of the output is one JSON object; the exit code is 0 only if nothing was lost and
            nothing was written on the source after the fence.""".formatted(Fault.help(), FleetOptions.HELP);

    private Sandbox() {
    }

    public static void main(String[] args) throws Exception {
        RehearsalOptions options;
        int runs;
        Method method;
        Fault fault;
        FleetOptions fleet;
        boolean kafkaSasl;
        boolean thenFallback;
        int replicators;
        boolean killReplicatorMidLoad;
        List<FaultCase> matrixRun = null;
        try {
            List<String> rest = new ArrayList<>(Arrays.asList(args));
            runs = count(rest, "--runs");
            method = Method.take(rest);
            fault = fault(rest);
            fleet = FleetOptions.take(rest);
            if (fleet != null && method == Method.COMPARE) {
                throw new IllegalArgumentException("--compare runs the single-pool client: drop --instances, --client and --client-dns-cache");
            }
            kafkaSasl = rest.remove("--kafka-sasl");
            replicators = count(rest, "--replicators");
            killReplicatorMidLoad = rest.remove("--kill-replicator-mid-load");
            if (kafkaSasl && (fault != null || method != Method.SAGA)) {
                throw new IllegalArgumentException("--kafka-sasl runs the saga's cutover without a fault: drop --fault,"
                        + " --method plain and --compare");
            }
            thenFallback = rest.remove("--then-fallback");
            if (thenFallback && method != Method.SAGA) {
                throw new IllegalArgumentException("--then-fallback applies to the saga only: drop --method plain / --compare");
            }
            if (thenFallback && kafkaSasl) {
                throw new IllegalArgumentException("--then-fallback runs the fallback without a Kafka login: drop --kafka-sasl");
            }
            if (thenFallback && fleet != null && fleet.client() == dev.cutover.sandbox.client.ClientKind.STARTER) {
                // The starter's pools follow a cutover's events; a fallback's are not among them yet.
                throw new IllegalArgumentException("--then-fallback with --client starter: the starter does not follow a"
                        + " fallback yet; use --client plain or pgbouncer");
            }
            Optional<List<FaultCase>> matrix = matrix(rest);
            if (matrix.isPresent()) {
                if (fault != null || method != Method.SAGA || runs != 1 || fleet != null || kafkaSasl || thenFallback) {
                    throw new IllegalArgumentException("--fault-matrix runs its own faults with the saga, once each: drop"
                            + " --fault, --method, --compare, --runs and the client, SASL and fallback options");
                }
                List<String> small = new ArrayList<>(MATRIX_DEFAULTS);
                small.addAll(rest);
                RehearsalOptions matrixOptions = parse(small.toArray(String[]::new));
                if (matrixOptions.layout() != Layout.PROCESSES) {
                    throw new IllegalArgumentException("--fault-matrix kills and pauses processes: add --layout processes");
                }
                matrixRun = matrix.get();
                options = matrixOptions;
            } else {
                options = parse(rest.toArray(String[]::new));
            }
            if (replicators > 1 && (options.layout() != Layout.PROCESSES || method != Method.SAGA || matrixRun != null)) {
                throw new IllegalArgumentException("--replicators starts replicator processes beside each other: add"
                        + " --layout processes, with the saga and without --fault-matrix");
            }
            if (killReplicatorMidLoad && (options.layout() != Layout.PROCESSES || method != Method.SAGA
                    || matrixRun != null || fault != null)) {
                throw new IllegalArgumentException("--kill-replicator-mid-load kills a replicator process during the"
                        + " migration: add --layout processes, with the saga, without --fault and --fault-matrix");
            }
            if (fault != null && method != Method.SAGA) {
                // Faults are injected into the saga's steps; the plain program would silently run without one.
                throw new IllegalArgumentException("--fault applies to the saga only: drop --method plain / --compare");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("rehearse: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (matrixRun != null) {
            System.exit(faultMatrix(matrixRun, options));
            return;
        }
        cacheDnsAnswers(options);
        List<Report> reports = new ArrayList<>();
        try {
            if (method == Method.COMPARE) {
                int exit = Comparison.run(options, runs, System.out);
                System.out.flush();
                System.exit(exit);
            }
            for (int run = 1; run <= runs; run++) {
                if (runs > 1) {
                    System.out.printf("%n=== rehearsal %d of %d ===%n", run, runs);
                }
                Report report = method.rehearsal(options, System.out).withFault(fault).withFleet(fleet)
                        .withKafkaSasl(kafkaSasl).withThenFallback(thenFallback).withReplicators(replicators)
                        .withReplicatorKilledMidLoad(killReplicatorMidLoad).run();
                report.print(System.out);
                reports.add(report);
            }
        } catch (RuntimeException e) {
            System.out.println("rehearsal failed: " + e.getMessage());
            System.out.println("{\"result\":\"failed\",\"reason\":\"" + String.valueOf(e.getMessage()).replace("\"", "'") + "\"}");
            System.exit(1);
            return;
        }
        if (runs > 1) {
            Summary summary = Summary.of(reports);
            System.out.println();
            summary.print(System.out);
        }
        System.out.flush();
        System.exit(reports.stream().mapToInt(Report::exitCode).max().orElse(0));
    }

    /** Each case as short as it can be: small data, a light client, few writes before and after. */
    private static final List<String> MATRIX_DEFAULTS = List.of("--size-mb", "5", "--rate", "300", "--workers", "4",
            "--warm-up", "300", "--after", "300");

    /**
     * The JVM reads its DNS cache policy once, at its first lookup (the services' start-up does one): set it first, or
     * the client would keep the source's address for the JVM's default 30 s.
     */
    private static void cacheDnsAnswers(RehearsalOptions options) {
        java.security.Security.setProperty("networkaddress.cache.ttl", Long.toString(options.clientDnsCache().toSeconds()));
        java.security.Security.setProperty("networkaddress.cache.negative.ttl", "0");
    }

    private static int faultMatrix(List<FaultCase> cases, RehearsalOptions options) throws Exception {
        cacheDnsAnswers(options);
        List<CaseResult> results = MatrixRun.run(cases, options, System.out);
        System.out.println();
        System.out.print(MatrixRun.table(results));
        System.out.println(MatrixRun.json(results));
        System.out.flush();
        return results.stream().allMatch(CaseResult::passed) ? 0 : 1;
    }

    /** {@code --fault-matrix} and its {@code --cases a,b}, taken out of {@code args}: the cases to run. */
    private static Optional<List<FaultCase>> matrix(List<String> args) {
        if (!args.remove("--fault-matrix")) {
            if (args.contains("--cases")) {
                throw new IllegalArgumentException("--cases goes with --fault-matrix");
            }
            return Optional.empty();
        }
        int index = args.indexOf("--cases");
        if (index < 0) {
            return Optional.of(FaultMatrix.cases());
        }
        if (index + 1 >= args.size()) {
            throw new IllegalArgumentException("--cases needs names, comma-separated");
        }
        List<String> names = List.of(args.remove(index + 1).split(","));
        args.remove(index);
        return Optional.of(FaultMatrix.named(names));
    }

    /** {@code --fault NAME}, taken out of {@code args}; {@code null} without it. */
    private static Fault fault(List<String> args) {
        int index = args.indexOf("--fault");
        if (index < 0) {
            return null;
        }
        if (index + 1 >= args.size()) {
            throw new IllegalArgumentException("--fault needs a name");
        }
        Fault fault = Fault.named(args.remove(index + 1));
        args.remove(index);
        return fault;
    }

    /** A whole number of at least 1 given as {@code option N}, taken out of {@code args}; 1 when not given. */
    static int count(List<String> args, String option) {
        int index = args.indexOf(option);
        if (index < 0) {
            return 1;
        }
        if (index + 1 >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        String value = args.remove(index + 1);
        args.remove(index);
        try {
            int count = Integer.parseInt(value);
            if (count < 1) {
                throw new IllegalArgumentException(option + " must be at least 1, was " + count);
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
        }
    }

    static RehearsalOptions parse(String[] args) {
        RehearsalOptions defaults = RehearsalOptions.defaults();
        int size = defaults.dataMegabytes();
        double rate = defaults.rate();
        int workers = defaults.workers();
        Duration ttl = defaults.dnsTtl();
        long warmUp = defaults.warmUpWrites();
        long after = defaults.writesAfter();
        Layout layout = defaults.layout();
        ClientDns clientDns = defaults.clientDns();
        Duration settle = null;
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String option = rest.removeFirst();
            if (option.equals("--help") || option.equals("-h")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = rest.removeFirst();
            try {
                switch (option) {
                    case "--size-mb" -> size = Integer.parseInt(value);
                    case "--rate" -> rate = Double.parseDouble(value);
                    case "--workers" -> workers = Integer.parseInt(value);
                    case "--ttl" -> ttl = Duration.ofSeconds(Long.parseLong(value));
                    case "--warm-up" -> warmUp = Long.parseLong(value);
                    case "--after" -> after = Long.parseLong(value);
                    case "--layout" -> layout = Layout.parse(value);
                    case "--client-dns" -> clientDns = ClientDns.parse(value);
                    case "--settle" -> settle = Duration.ofSeconds(Long.parseLong(value));
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
            }
        }
        if (settle == null) {
            // A cutover comes long after the migration in production: the processes layout waits for the services to
            // be as quiet as they would be by then (decision 119).
            settle = layout == Layout.PROCESSES ? DEFAULT_SETTLE : Duration.ZERO;
        }
        return new RehearsalOptions(size, rate, workers, ttl, warmUp, after, defaults.stepTimeout(), layout, clientDns,
                settle);
    }
}
