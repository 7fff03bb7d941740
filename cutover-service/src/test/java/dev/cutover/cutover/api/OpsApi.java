package dev.cutover.cutover.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.springframework.context.ConfigurableApplicationContext;

/** Calls a running cutover-service's ops API as an operator's script would, over real HTTP. */
public final class OpsApi {

    private OpsApi() {
    }

    public static HttpResponse<String> call(ConfigurableApplicationContext service, String method, String path,
            String json) throws IOException, InterruptedException {
        return call(service, method, path, json, null);
    }

    /** The same with {@code Authorization: Bearer <token>}, unless the token is null. */
    public static HttpResponse<String> call(ConfigurableApplicationContext service, String method, String path,
            String json, String token) throws IOException, InterruptedException {
        String port = service.getEnvironment().getProperty("local.server.port");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
