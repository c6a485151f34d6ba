package dev.chunkflow.local.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.run.PipelineRun;
import dev.chunkflow.local.run.RunReport;
import dev.chunkflow.local.run.SampleData;

/**
 * The console page in a real browser (headless Debian chromium + chromedriver): it loads without a
 * console error, draws every state of the definition, colors a failed state red, and shows the Map's
 * item counts of the execution; {@code chunkflow run}'s static copy of the page works from disk.
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dir;
    static ServeStack stack;
    static WebDriver browser;
    static String okArn;

    @BeforeAll
    static void startStackRunJobsAndBrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless chromium and chromedriver are not installed (scripts/install-tools.sh installs them)");
        stack = ServeFixture.start(dir.resolve("state"));
        var app = stack.app();
        SampleData.generateTo(app.aws().s3(), app.bucket(), "input/console/", 2000, 3);
        var ex = stack.executions();
        okArn = (String) ex.startExecution(ex.stateMachineArn(), "console-ok",
                "{\"job_id\": \"console-ok\", \"source\": {\"prefix\": \"input/console/\"}, \"target_rows_per_chunk\": 500}").get("executionArn");
        String badArn = (String) ex.startExecution(ex.stateMachineArn(), "console-bad", "{\"source\": {\"prefix\": \"input/console/\"}}")
                .get("executionArn");
        ex.await(okArn, 3, TimeUnit.MINUTES);
        ex.await(badArn, 1, TimeUnit.MINUTES);

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1400,2200", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static void open(String url, String expectedStatus) {
        browser.get(url);
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
                expectedStatus.equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    private static List<String> consoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                errors.add(e.getMessage());
            }
        }
        return errors;
    }

    private static Set<String> allStates(JsonNode states) {
        Set<String> names = new HashSet<>();
        states.properties().forEach(s -> {
            names.add(s.getKey());
            JsonNode processor = s.getValue().has("ItemProcessor") ? s.getValue().get("ItemProcessor") : s.getValue().get("Iterator");
            if (processor != null) {
                names.addAll(allStates(processor.get("States")));
            }
        });
        return names;
    }

    private static Set<String> drawnStates() {
        Set<String> drawn = new HashSet<>();
        for (WebElement g : browser.findElements(By.cssSelector("#graph-svg g.state"))) {
            drawn.add(g.getDomAttribute("data-state"));
        }
        return drawn;
    }

    private static WebElement state(String name) {
        return browser.findElement(By.cssSelector("#graph-svg g.state[data-state='" + name + "']"));
    }

    @Test
    void aSucceededRunShowsEveryStateItsMapCountsTimelineAndJob() throws Exception {
        open(stack.endpoint() + "/_chunkflow/#execution=console-ok", "SUCCEEDED");
        assertEquals(List.of(), consoleErrors(), "console errors");

        JsonNode definition = AslJson.parse(stack.executions().definitionJson());
        assertEquals(allStates(definition.get("States")), drawnStates(), "every state of the definition is drawn");
        assertEquals("succeeded", state("Summarize").getDomAttribute("data-status"));
        assertEquals("notrun", state("RejectInput").getDomAttribute("data-status"));

        JsonNode job = AslJson.MAPPER.valueToTree(stack.executions().describeExecution(okArn));
        int chunks = AslJson.parse(job.path("output").asText()).path("num_chunks").asInt();
        assertEquals(4, chunks);
        String mapState = definition.get("States").properties().stream().filter(s -> s.getValue().path("Type").asText().equals("Map")
                && browser.findElements(By.cssSelector("g.state[data-state='" + s.getKey() + "'][data-status='succeeded']")).size() == 1)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        WebElement counts = state(mapState).findElement(By.cssSelector(".map-counts"));
        assertEquals(String.valueOf(chunks), counts.getDomAttribute("data-succeeded"), mapState);
        assertEquals(String.valueOf(chunks), counts.getDomAttribute("data-total"));
        assertEquals("0", counts.getDomAttribute("data-failed"));

        WebElement timeline = browser.findElement(By.id("timeline-svg"));
        assertTrue(Integer.parseInt(timeline.getDomAttribute("data-invocations")) >= chunks + 2, "GetChunks, a call per chunk, Summarize...");
        assertTrue(browser.findElements(By.cssSelector("#payload-svg .payload-bar")).size() >= 5);
        assertTrue(browser.findElement(By.id("job-json")).getText().contains("\"status\" : \"SUCCEEDED\"")
                || browser.findElement(By.id("job-json")).getText().contains("\"status\": \"SUCCEEDED\""));
        assertTrue(browser.findElements(By.cssSelector("#executions tr.exec")).size() == 2);

        Path shot = Path.of("target", "console-serve.png");
        Files.write(shot, ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertTrue(Files.size(shot) > 10_000);
    }

    @Test
    void aFailedStateIsRed() {
        open(stack.endpoint() + "/_chunkflow/#execution=console-bad", "FAILED");
        assertEquals(List.of(), consoleErrors(), "console errors");
        WebElement failed = state("RejectInput");
        assertEquals("failed", failed.getDomAttribute("data-status"));
        assertEquals("rgb(208, 57, 43)", failed.findElement(By.tagName("rect")).getCssValue("fill"));
        assertEquals("succeeded", state("CheckInput").getDomAttribute("data-status"));
        assertEquals("notrun", state("Summarize").getDomAttribute("data-status"));
    }

    @Test
    void runWritesTheSamePageAsAStaticFile() throws Exception {
        RunReport r = PipelineRun.execute(ServeFixture.REPO, dir.resolve("run-state"), new PipelineRun.Options(1500, 4, null, 500,
                null, 10, 10, 0, "static-page", 0.001, false), new PrintStream(new ByteArrayOutputStream()));
        assertEquals("SUCCEEDED", r.status());
        assertTrue(PipelineRun.summary(r).contains("console page      " + r.console_page()));
        Path page = Path.of(r.console_page());
        assertTrue(Files.exists(page) && Files.exists(page.resolveSibling("report.html")), "beside report.html: " + page);
        open(page.toUri().toString(), "SUCCEEDED");
        assertEquals(List.of(), consoleErrors(), "console errors");
        assertEquals("succeeded", state("Summarize").getDomAttribute("data-status"));
        assertTrue(browser.findElement(By.id("list-section")).getDomAttribute("hidden") != null, "no live list on the static page");
    }
}
