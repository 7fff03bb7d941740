package dev.cutover.console.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import dev.cutover.console.ConsoleApplication;
import dev.cutover.ctl.replay.CutoverScript;
import dev.cutover.ctl.replay.MigrationScript;
import dev.cutover.events.AbortCutover;
import dev.cutover.events.CommandRefused;
import dev.cutover.events.LagReported;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.StartCutover;
import dev.cutover.events.StepFinished;
import dev.cutover.events.StepStarted;
import dev.cutover.events.topic.Topics;
import dev.cutover.stack.KafkaBroker;

/**
 * The console as an operator sees it: a real broker, the console reading it, and headless Chromium on the page
 * while a cutover's messages arrive one by one, as the saga and its participants would write them. Two consoles on
 * the one broker: one without a users file (read-only, open), one with (a viewer and an operator log in).
 */
class ConsoleBrowserIntegrationTest {

    /** Where the screenshot goes; {@code -Dconsole.screenshot=../docs/console.png} refreshes the one in the docs. */
    private static final Path SCREENSHOT = Path.of(System.getProperty("console.screenshot", "target/console.png"));

    private static final String OLIVIAS_PASSWORD = "olivia's long passphrase";
    private static final String VICTORS_PASSWORD = "victor's long passphrase";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static KafkaBroker kafka;
    private static ConfigurableApplicationContext console;
    private static ConfigurableApplicationContext secured;
    private static KafkaProducer<String, SpecificRecord> producer;
    private static ChromeDriver browser;
    private static WebDriverWait await;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start();
        // Before the consoles start, as the services that write them would have made them.
        try (var admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(Topics.COMMANDS.newTopic(), Topics.EVENTS.newTopic(), Topics.LAG.newTopic()))
                    .all().get();
        }
        console = new SpringApplicationBuilder(ConsoleApplication.class).properties(Map.of(
                "cutover.console.bootstrap-servers", kafka.bootstrapServers(),
                "server.port", "0")).run();
        Path users = Files.createTempFile("console-users", ".txt");
        var bcrypt = new BCryptPasswordEncoder(4);
        Files.write(users, List.of("# name:{bcrypt}hash:roles",
                "olivia:{bcrypt}" + bcrypt.encode(OLIVIAS_PASSWORD) + ":operator",
                "victor:" + bcrypt.encode(VICTORS_PASSWORD) + ":viewer"));
        secured = new SpringApplicationBuilder(ConsoleApplication.class).properties(Map.of(
                "spring.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "cutover.console.users-file", users.toString(),
                "server.port", "0")).run();
        Files.delete(users);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer());
        browser = HeadlessChromium.start();
        await = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (producer != null) {
            producer.close();
        }
        if (console != null) {
            console.close();
        }
        if (secured != null) {
            secured.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void thePageShowsEachStepOfACutoverAsItHappensAndThenItsDowntime() throws Exception {
        var now = Instant.now();
        MigrationScript.of("m-shop-1", "shop", now.minus(Duration.ofMinutes(20))).startedAndLoading()
                .sized(2_100, Map.of("public.orders", 10, "public.items", 10, "public.customers", 20))
                .tableCopied(3_000, "public.orders").lines()
                .forEach(line -> publish(line.topic(), "m-shop-1", line.message()));
        var cutover = CutoverScript.of("c-shop-1", "shop", now).started(false)
                .step(15, "STOP_TRAFFIC", true).step(161, "STOP_TRAFFIC", false)
                .step(163, "WRITE_CANARY", true).step(207, "WRITE_CANARY", false)
                .step(209, "AWAIT_CATCH_UP", true).step(256, "AWAIT_CATCH_UP", false)
                .step(258, "SYNC_SEQUENCES", true).step(319, "SYNC_SEQUENCES", false)
                .step(321, "OPEN_TARGET", true).step(364, "OPEN_TARGET", false)
                .step(366, "FLIP_DNS", true).step(398, "FLIP_DNS", false)
                .fencedAndCaughtUp().flippedAndCompleted();
        var lines = new ArrayList<>(cutover.lines());
        lines.sort(Comparator.comparing(line -> line.metadata().getOccurredAt()));

        browser.get("http://localhost:" + console.getEnvironment().getProperty("local.server.port") + "/");
        await.until(ExpectedConditions.textToBe(By.cssSelector("#migrations tr[data-id='m-shop-1'] .progress"),
                "25 % (1 of 3 tables)"));

        publish(lines.getFirst().topic(), "c-shop-1", lines.getFirst().message());
        await.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#cutovers tr[data-id='c-shop-1']"))).click();
        for (int i = 1; i < lines.size(); i++) {
            var message = lines.get(i).message();
            publish(lines.get(i).topic(), "c-shop-1", message);
            await.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#entries tr"), i + 1));
            if (message instanceof StepStarted started) {
                await.until(ExpectedConditions.presenceOfElementLocated(bar(started.getStep(), "RUNNING")));
                assertThat(browser.findElement(By.id("downtime")).getText()).isNotEqualTo("412 ms");
            } else if (message instanceof StepFinished finished) {
                await.until(ExpectedConditions.presenceOfElementLocated(bar(finished.getStep(), "DONE")));
            }
        }
        publishLag("shop", now.plusSeconds(1), 900);
        publishLag("shop", now.plusSeconds(2), 35);
        publishLag("shop", now.plusSeconds(3), 12);

        await.until(ExpectedConditions.textToBe(By.id("downtime"), "412 ms"));
        await.until(ExpectedConditions.textToBe(By.id("state"), "completed"));
        await.until(ExpectedConditions.textToBe(By.cssSelector("#cutovers tr[data-id='c-shop-1'] .downtime"), "412 ms"));
        await.until(ExpectedConditions.textToBe(By.cssSelector("#lag [data-database='shop'] .value"), "12 ms"));
        assertThat(browser.findElements(By.cssSelector("#timeline rect.DONE"))).hasSize(6);
        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).isEmpty();
        assertThat(browser.findElement(By.id("who")).isDisplayed()).isFalse();

        Files.createDirectories(SCREENSHOT.toAbsolutePath().getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aPastCutoverIsReplayedFromTheLogMessageByMessageOntoItsTimeline() {
        var script = CutoverScript.of("c-tax-1", "tax", Instant.now().minus(Duration.ofDays(2))).started(false)
                .step(15, "STOP_TRAFFIC", true).step(161, "STOP_TRAFFIC", false)
                .step(163, "WRITE_CANARY", true).step(207, "WRITE_CANARY", false)
                .fencedAndCaughtUp().flippedAndCompleted();
        script.lines().forEach(line -> publish(line.topic(), "c-tax-1", line.message()));
        int messages = script.lines().size();
        browser.get(base(console) + "/");
        await.until(ExpectedConditions.textToBe(By.cssSelector("#cutovers tr[data-id='c-tax-1'] .downtime"), "412 ms"));
        browser.findElement(By.cssSelector("#cutovers tr[data-id='c-tax-1']")).click();

        await.until(ExpectedConditions.elementToBeClickable(By.id("replay"))).click();

        await.until(ExpectedConditions.textToBe(By.id("replay-status"),
                "Message 1 of " + messages + " (StartCutover), +0 ms, paused"));
        assertThat(browser.findElement(By.cssSelector("#detail-view h2")).getText())
                .isEqualTo("Replay of cutover c-tax-1 of tax");
        assertThat(browser.findElements(By.cssSelector("#entries tr"))).hasSize(1);
        assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("running");
        assertThat(browser.findElement(By.id("downtime")).getText()).isEqualTo("not yet");
        assertThat(browser.findElements(By.cssSelector("#timeline rect[data-step]"))).isEmpty();

        // The fourth message is at +15 ms, with the step's start and its command.
        for (int i = 0; i < 3; i++) {
            browser.findElement(By.id("replay-next")).click();
        }
        await.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#entries tr"), 4));
        await.until(ExpectedConditions.presenceOfElementLocated(bar("STOP_TRAFFIC", "RUNNING")));
        assertThat(browser.findElement(By.id("replay-status")).getText()).startsWith("Message 4 of " + messages);

        browser.findElement(By.id("replay-speed-10x")).click();
        assertThat(browser.findElement(By.id("replay-speed-10x")).getDomAttribute("aria-pressed")).isEqualTo("true");
        browser.findElement(By.id("replay-play")).click();
        await.until(ExpectedConditions.textToBe(By.id("replay-status"),
                "Replayed to the end: " + messages + " messages, +575 ms"));

        assertThat(browser.findElements(By.cssSelector("#entries tr"))).hasSize(messages);
        assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("completed");
        assertThat(browser.findElement(By.id("downtime")).getText()).isEqualTo("412 ms");
        assertThat(browser.findElements(By.cssSelector("#timeline rect.DONE"))).hasSize(2);
        assertThat(browser.findElement(By.id("replay-play")).getText()).isEqualTo("Play");

        browser.findElement(By.id("replay-live")).click();
        await.until(ExpectedConditions.textToBe(By.cssSelector("#detail-view h2"), "Cutover c-tax-1 of tax"));
        assertThat(browser.findElement(By.id("replay-controls")).isDisplayed()).isFalse();
    }

    @Test
    void aMigrationsStepsAreBarsOnItsTimelineAsTheyHappen() {
        var lines = MigrationScript.of("m-docs-1", "docs", Instant.now().minus(Duration.ofMinutes(5)))
                .startedAndLoading().loaded(5_000, 3).ready(9_000).lines();
        int loading = MigrationScript.of("m-docs-1", "docs", Instant.now()).startedAndLoading().lines().size();
        lines.subList(0, loading).forEach(line -> publish(line.topic(), "m-docs-1", line.message()));
        browser.get(base(console) + "/");
        await.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#migrations tr[data-id='m-docs-1']")))
                .click();

        await.until(ExpectedConditions.presenceOfElementLocated(bar("FULL_LOAD", "RUNNING")));
        assertThat(browser.findElements(bar("PREFLIGHT", "DONE"))).hasSize(1);
        assertThat(browser.findElements(bar("PRE_DATA", "DONE"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#detail-view h2")).getText())
                .isEqualTo("Migration m-docs-1 of docs");
        assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("FULL_LOAD");

        lines.subList(loading, lines.size()).forEach(line -> publish(line.topic(), "m-docs-1", line.message()));

        await.until(ExpectedConditions.presenceOfElementLocated(bar("FULL_LOAD", "DONE")));
        await.until(ExpectedConditions.textToBe(By.id("state"), "ready"));
        assertThat(browser.findElements(By.cssSelector("#timeline rect.DONE"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#timeline rect.RUNNING"))).isEmpty();
    }

    @Test
    void aSilentSagaIsAnAlertAcrossThePageThatSaysWhatToDoUntilTheSagaSpeaksAgain() {
        var now = Instant.now();
        var start = now.minus(Duration.ofMinutes(3));
        CutoverScript.of("c-pay-1", "pay", start).started(false).sagaSilent(120_014)
                .lines().forEach(line -> publish(line.topic(), "c-pay-1", line.message()));
        browser.get(base(console) + "/");

        var alert = await.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#alerts .alert[data-id='c-pay-1']")));

        assertThat(alert.getText()).contains("The saga of cutover c-pay-1 (pay) is silent",
                "No event from cutover-service for 2 min 00.000 s", "since StepStarted of STOP_TRAFFIC at "
                        + DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC).format(start.plusMillis(14))
                        + " UTC",
                "What to do: Start cutover-service: it recovers the saga from cutover.events and carries on.");
        assertThat(browser.findElement(By.cssSelector("#cutovers tr[data-id='c-pay-1'] td:nth-child(3)")).getText())
                .isEqualTo("saga silent");
        assertThat(browser.getTitle()).startsWith("SAGA SILENT");
        alert.click();
        await.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#detail-view .alert")));

        CutoverScript.of("c-pay-1", "pay", now).step(0, "STOP_TRAFFIC", false).lines()
                .forEach(line -> publish(line.topic(), "c-pay-1", line.message()));

        await.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".alert"), 0));
        assertThat(browser.getTitle()).isEqualTo("cutover console");
    }

    @Test
    void aConsoleWithoutUsersTakesNoCommands() throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base(console) + "/cutovers"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"database": "shop", "reason": "r", "confirm": "shop"}"""))
                .build();

        assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isIn(404, 405);
    }

    @Test
    void anOperatorStartsACutoverOfAReadyDatabaseAndAbortsItFromThePageInTheirOwnName() {
        var now = Instant.now();
        MigrationScript.of("m-billing-1", "billing", now.minus(Duration.ofMinutes(30))).startedAndLoading()
                .loaded(5_000, 3).ready(9_000).lines()
                .forEach(line -> publish(line.topic(), "m-billing-1", line.message()));
        logIn("olivia", OLIVIAS_PASSWORD);
        await.until(ExpectedConditions.textToBe(By.id("user"), "olivia (operator)"));

        await.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#migrations tr[data-id='m-billing-1'] button[data-action='start']"))).click();
        confirmWith("billing window, change 4711", "billin");
        assertThat(browser.findElement(By.id("confirm-go")).isEnabled()).as("a name that is not the database's")
                .isFalse();
        browser.findElement(By.id("confirm-name")).sendKeys("g");
        browser.findElement(By.id("confirm-go")).click();

        var started = (StartCutover) firstOn(Topics.COMMANDS.name(), message -> message instanceof StartCutover start
                && start.getMetadata().getDatabase().equals("billing"));
        var cutoverId = started.getMetadata().getCutoverId();
        assertThat(started.getOperator()).isEqualTo("olivia");
        assertThat(started.getReason()).isEqualTo("billing window, change 4711");
        assertThat(started.getDryRun()).isFalse();

        await.until(ExpectedConditions.textToBe(By.cssSelector("#entries tr:first-child td:nth-child(2)"),
                "StartCutover"));
        await.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-action='abort']"))).click();
        confirmWith("the billing team asked to wait", "billing");
        browser.findElement(By.id("confirm-go")).click();

        var aborted = (AbortCutover) firstOn(Topics.COMMANDS.name(), message -> message instanceof AbortCutover abort
                && abort.getMetadata().getCutoverId().equals(cutoverId));
        assertThat(aborted.getOperator()).isEqualTo("olivia");
        assertThat(aborted.getReason()).isEqualTo("the billing team asked to wait");
        await.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#entries tr"), 2));
        assertThat(browser.findElement(By.cssSelector("#entries tr:nth-child(2)")).getText()).contains("AbortCutover");
    }

    @Test
    void aViewerSeesNoCommandsAndTheAbortTheyForgeIsRefusedAndRecorded() {
        var now = Instant.now();
        MigrationScript.of("m-ledger-1", "ledger", now.minus(Duration.ofMinutes(30))).startedAndLoading()
                .loaded(5_000, 3).ready(9_000).lines()
                .forEach(line -> publish(line.topic(), "m-ledger-1", line.message()));
        CutoverScript.of("c-ledger-1", "ledger", now).started(false).step(15, "STOP_TRAFFIC", true).lines()
                .forEach(line -> publish(line.topic(), "c-ledger-1", line.message()));
        logIn("victor", VICTORS_PASSWORD);
        await.until(ExpectedConditions.textToBe(By.id("user"), "victor (viewer)"));
        await.until(ExpectedConditions.textToBe(By.cssSelector("#migrations tr[data-id='m-ledger-1'] td:nth-child(3)"),
                "ready"));
        await.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#cutovers tr[data-id='c-ledger-1']")))
                .click();
        await.until(ExpectedConditions.presenceOfElementLocated(bar("STOP_TRAFFIC", "RUNNING")));

        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).isEmpty();

        // What a page altered in the browser's tools would send: the session's cookie and its CSRF token.
        var status = ((Number) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const headers = {"Content-Type": "application/json"};
                headers[me.csrf.header] = me.csrf.token;
                fetch("cutovers/c-ledger-1/abort", {method: "POST", headers: headers,
                    body: JSON.stringify({reason: "just looking", confirm: "ledger"})}).then(r => done(r.status));
                """)).intValue();

        assertThat(status).isEqualTo(403);
        var refused = (CommandRefused) firstOn(Topics.EVENTS.name(),
                message -> message instanceof CommandRefused refusal
                        && "c-ledger-1".equals(refusal.getMetadata().getCutoverId()));
        assertThat(refused.getPrincipal()).isEqualTo("victor");
        assertThat(refused.getAction()).isEqualTo("POST /cutovers/c-ledger-1/abort");
        assertThat(refused.getRoles()).containsExactly("viewer");
        assertThat(refused.getMetadata().getDatabase()).isEqualTo("ledger");
        assertThat(refused.getMetadata().getProducer()).isEqualTo("console");
        assertThat(commandsOf("c-ledger-1")).noneMatch(AbortCutover.class::isInstance);
    }

    @Test
    void withoutALoginThePageSendsToTheLoginFormAndTheStreamAndCommandsAre401() throws Exception {
        var page = HTTP.send(HttpRequest.newBuilder(URI.create(base(secured) + "/")).header("Accept", "text/html")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        var events = HTTP.send(HttpRequest.newBuilder(URI.create(base(secured) + "/events"))
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofString());
        var command = HTTP.send(HttpRequest.newBuilder(URI.create(base(secured) + "/cutovers"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"database": "billing", "reason": "r", "confirm": "billing"}"""))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/login"));
        assertThat(events.statusCode()).isEqualTo(401);
        assertThat(command.statusCode()).isEqualTo(401);
    }

    /** A session of the user's own: the browser forgets the one before. */
    private static void logIn(String user, String password) {
        browser.manage().deleteAllCookies();
        browser.get(base(secured) + "/");
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type='submit']")).click();
    }

    private static void confirmWith(String reason, String typedName) {
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-reason"))).sendKeys(reason);
        browser.findElement(By.id("confirm-name")).sendKeys(typedName);
    }

    private static String base(ConfigurableApplicationContext context) {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** The first message on the topic that matches, read from the beginning, as soon as the broker has it. */
    private static SpecificRecord firstOn(String topic, Predicate<SpecificRecord> wanted) {
        try (var consumer = consumer()) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(partition -> new TopicPartition(topic, partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (Instant.now().isBefore(deadline)) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(record.value())) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("no such message on " + topic + " within 30 s");
    }

    /** Every command about the cutover that is on the topic now. */
    private static List<SpecificRecord> commandsOf(String cutoverId) {
        try (var consumer = consumer()) {
            var partitions = consumer.partitionsFor(Topics.COMMANDS.name()).stream()
                    .map(partition -> new TopicPartition(Topics.COMMANDS.name(), partition.partition())).toList();
            consumer.assign(partitions);
            var ends = consumer.endOffsets(partitions);
            consumer.seekToBeginning(partitions);
            var found = new ArrayList<SpecificRecord>();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (cutoverId.equals(record.key())) {
                        found.add(record.value());
                    }
                }
            }
            return found;
        }
    }

    private static KafkaConsumer<String, SpecificRecord> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.COMMANDS.keySerde().deserializer(), Topics.COMMANDS.valueSerde().deserializer());
    }

    private static By bar(String step, String state) {
        return By.cssSelector("#timeline rect[data-step='" + step + "']." + state);
    }

    private static void publishLag(String database, Instant at, long applyLagMs) {
        var metadata = new MetadataFactory("lag-monitor", Clock.fixed(at, Clock.systemUTC().getZone()))
                .of(database, null, null, null);
        publish(Topics.LAG.name(), database, LagReported.newBuilder().setMetadata(metadata).setEngine("native")
                .setState("streaming").setApplyLagMs(applyLagMs).build());
    }

    private static void publish(String topic, String key, SpecificRecord message) {
        try {
            producer.send(new ProducerRecord<>(topic, key, message)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker did not take " + message.getSchema().getName(), e.getCause());
        }
    }
}
