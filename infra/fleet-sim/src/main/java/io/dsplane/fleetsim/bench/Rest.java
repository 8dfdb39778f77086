package io.dsplane.fleetsim.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Rest is the little HTTP the benchmark needs: JSON POST/DELETE/GET against the services. */
public final class Rest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    public HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return http.send(postRequest(url, json), HttpResponse.BodyHandlers.ofString());
    }

    public CompletableFuture<HttpResponse<Void>> postAsync(String url, String json) {
        return http.sendAsync(postRequest(url, json), HttpResponse.BodyHandlers.discarding());
    }

    public CompletableFuture<HttpResponse<Void>> deleteAsync(String url) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static HttpRequest postRequest(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** ready is true when {@code baseUrl}/q/health/ready answers 200. */
    public boolean ready(String baseUrl) {
        try {
            return get(baseUrl + "/q/health/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
