package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import dev.cutover.sandbox.report.CutoverResult;
import dev.cutover.sandbox.report.Report;

/**
 * A whole rehearsal in the processes layout with every secret in a file: the services' database role's password,
 * the TSIG key and each service's Kafka password. Once the cutover is over, while the services still run, every line
 * of every service's log, every record on every topic (key, value and headers, as bytes) and every actuator endpoint
 * the services expose are searched for each secret: none may hold one.
 */
class SecretsEndToEndTest {

    /** A link of {@code GET /actuator}'s {@code _links}, e.g. {@code "health":{"href":"http://...","templated":false}}. */
    private static final Pattern LINK = Pattern.compile("\"href\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"templated\"\\s*:\\s*(true|false)");

    @Test
    void noSecretShowsInAnyLogTopicOrActuatorResponse() throws Exception {
        RehearsalOptions options = new RehearsalOptions(1, 100, 2, Duration.ofSeconds(1), 0, 50,
                Duration.ofMinutes(3)).withLayout(Layout.PROCESSES, ClientDns.NONE);
        List<String> found = new ArrayList<>();
        Map<String, Integer> searched = new HashMap<>();
        Set<String> secrets = new TreeSet<>();

        Report report;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            report = new Rehearsal(options, new RehearsalEndToEndTest.TeeStream(out, System.out)).withKafkaSasl(true)
                    .withServicesRole("cutover_services").inspecting(scene -> {
                        Map<Path, String> files = secretFiles(scene.workDirectory());
                        secrets.addAll(files.values());
                        Leaks leaks = new Leaks(Set.copyOf(files.values()), found);
                        Leaks selfCheck = new Leaks(leaks.secrets(), new ArrayList<>());
                        for (Path file : files.keySet()) {
                            assertThat(selfCheck.in(file.toString(), Files.readAllBytes(file)))
                                    .as("the search finds the secret in its own file " + file.getFileName()).isOne();
                        }
                        searched.put("log lines", searchLogs(scene.logDirectory(), leaks));
                        searched.put("records", searchTopics(scene.kafkaLogin(), leaks));
                        searched.put("actuator responses", searchActuators(scene.actuators(), leaks));
                    }).run();
        }

        System.out.printf("searched %s for %d secrets%n", searched, secrets.size());
        assertThat(report.result()).isEqualTo(CutoverResult.COMPLETED);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("log in to the databases as cutover_services");
        // Both servers' database passwords (one role), the TSIG key and the five services' Kafka passwords.
        assertThat(secrets).hasSize(7);
        assertThat(searched).allSatisfy((what, count) -> assertThat(count).as(what).isPositive());
        assertThat(found).as("secrets found in " + searched).isEmpty();
    }

    /** Each {@code *.secret} file the rehearsal gave a service, and the secret in it. */
    private static Map<Path, String> secretFiles(Path work) throws IOException {
        Map<Path, String> secrets = new HashMap<>();
        try (Stream<Path> files = Files.list(work)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".secret")).toList()) {
                secrets.put(file, Files.readString(file).strip());
            }
        }
        return secrets;
    }

    private static int searchLogs(Path logs, Leaks leaks) throws IOException {
        int lines = 0;
        try (Stream<Path> files = Files.walk(logs)) {
            List<Path> logFiles = files.filter(f -> f.getFileName().toString().endsWith(".log")).toList();
            assertThat(logFiles).as("the services' logs in " + logs).hasSizeGreaterThanOrEqualTo(Services.Service.values().length);
            for (Path log : logFiles) {
                for (String line : Files.readAllLines(log)) {
                    leaks.in(logs.relativize(log) + ": " + line, line.getBytes(StandardCharsets.UTF_8));
                    lines++;
                }
            }
        }
        return lines;
    }

    /** Every record of every topic from its beginning; Avro writes strings as their UTF-8 bytes, so bytes are searched. */
    private static int searchTopics(Map<String, Object> kafkaLogin, Leaks leaks) {
        Map<String, Object> config = new HashMap<>(kafkaLogin);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        int records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (List<PartitionInfo> infos : consumer.listTopics(Duration.ofSeconds(30)).values()) {
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    String where = record.topic() + "-" + record.partition() + "@" + record.offset();
                    leaks.in(where + " key", record.key());
                    leaks.in(where + " value", record.value());
                    for (Header header : record.headers()) {
                        leaks.in(where + " header " + header.key(), header.key().getBytes(StandardCharsets.UTF_8));
                        leaks.in(where + " header " + header.key(), header.value());
                    }
                    records++;
                }
            }
        }
        return records;
    }

    /** Every link {@code GET /actuator} lists that takes no parameter, of every service. */
    private static int searchActuators(Map<Services.Service, URI> actuators, Leaks leaks) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int responses = 0;
        for (Map.Entry<Services.Service, URI> actuator : actuators.entrySet()) {
            Matcher links = LINK.matcher(new String(get(http, actuator.getValue()), StandardCharsets.UTF_8));
            int listed = 0;
            while (links.find()) {
                listed++;
                if (links.group(2).equals("false")) {
                    leaks.in(actuator.getKey().module() + " " + links.group(1), get(http, URI.create(links.group(1))));
                    responses++;
                }
            }
            assertThat(listed).as(actuator.getKey().module() + "'s actuator links").isPositive();
        }
        return responses;
    }

    private static byte[] get(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET " + uri).isEqualTo(200);
        return response.body();
    }

    /** The secrets searched for, and where one was found. */
    private record Leaks(Set<String> secrets, List<String> found) {

        /** How many of the secrets {@code bytes} holds; each one found is recorded with {@code where}. */
        int in(String where, byte[] bytes) {
            if (bytes == null) {
                return 0;
            }
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int hits = 0;
            for (String secret : secrets) {
                if (text.contains(new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
                    found.add(where);
                    hits++;
                }
            }
            return hits;
        }
    }
}
