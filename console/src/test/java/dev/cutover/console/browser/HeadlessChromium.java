package dev.cutover.console.browser;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for tests: Debian's {@code chromium} driven through its {@code chromedriver}, both found on the
 * PATH, so Selenium Manager never goes to the network to fetch a browser of its own.
 */
public final class HeadlessChromium {

    private HeadlessChromium() {
    }

    public static ChromeDriver start() {
        var options = new ChromeOptions();
        options.setBinary(onPath("chromium").toFile());
        // Root in a container has no user namespace for Chrome's sandbox, and /dev/shm is often 64 MB there.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(onPath("chromedriver").toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static Path onPath(String program) {
        return Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(path -> Arrays.stream(path.split(File.pathSeparator)))
                .map(directory -> Path.of(directory, program))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(program + " is not on the PATH: install Debian's "
                        + "chromium and chromium-driver packages (apt-get install chromium chromium-driver; .ci/run does)"));
    }
}
