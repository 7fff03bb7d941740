package dev.cutover.console.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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

import dev.cutover.console.ConsoleApplication;
import dev.cutover.ctl.replay.CutoverScript;
import dev.cutover.ctl.replay.MigrationScript;
import dev.cutover.events.LagReported;
import dev.cutover.events.MetadataFactory;
import dev.cutover.events.StepFinished;
import dev.cutover.events.StepStarted;
import dev.cutover.events.topic.Topics;
import dev.cutover.stack.KafkaBroker;

/**
 * The console as an operator sees it: a real broker, the console reading it, and headless Chromium on the page
 * while a cutover's messages arrive one by one, as the saga and its participants would write them.
 */
class ConsoleBrowserIntegrationTest {

    /** Where the screenshot goes; {@code -Dconsole.screenshot=../docs/console.png} refreshes the one in the docs. */
    private static final Path SCREENSHOT = Path.of(System.getProperty("console.screenshot", "target/console.png"));

    private static KafkaBroker kafka;
    private static ConfigurableApplicationContext console;
    private static KafkaProducer<String, SpecificRecord> producer;
    private static ChromeDriver browser;
    private static WebDriverWait await;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start();
        // As the services do at start-up: the console only reads, and never creates a topic.
        try (var admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(Topics.COMMANDS.newTopic(), Topics.EVENTS.newTopic(), Topics.LAG.newTopic()))
                    .all().get();
        }
        console = new SpringApplicationBuilder(ConsoleApplication.class).properties(Map.of(
                "cutover.console.bootstrap-servers", kafka.bootstrapServers(),
                "server.port", "0")).run();
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

        Files.createDirectories(SCREENSHOT.toAbsolutePath().getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
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
