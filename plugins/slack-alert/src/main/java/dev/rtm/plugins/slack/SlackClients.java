package dev.rtm.plugins.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.util.http.SlackHttpClient;
import okhttp3.OkHttpClient;

import java.time.Duration;
import java.util.ArrayList;

/**
 * Builds the SDK's {@link Slack} for one channel: its own timeouts, the methods endpoint prefix
 * (Slack's, or a local recorder in tests), no metrics threads, and none of the SDK's response
 * listeners, because its debug listener logs the request URL and headers (the webhook URL and the
 * token are secrets).
 */
final class SlackClients {

    private SlackClients() {
    }

    static Slack create(String methodsUrlPrefix, Duration connectTimeout, Duration readTimeout) {
        SlackConfig config = new SlackConfig();
        config.setHttpClientResponseHandlers(new ArrayList<>());
        config.setStatsEnabled(false);
        config.setMethodsEndpointUrlPrefix(methodsUrlPrefix);
        config.setHttpClientReadTimeoutMillis((int) readTimeout.toMillis());
        config.setHttpClientWriteTimeoutMillis((int) readTimeout.toMillis());
        OkHttpClient ok = SlackHttpClient.buildOkHttpClient(config).newBuilder()
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .retryOnConnectionFailure(false)     // one attempt: the host retries
                .followRedirects(false)
                .build();
        SlackHttpClient http = new SlackHttpClient(ok);
        http.setConfig(config);
        return Slack.getInstance(config, http);
    }

    static void close(Slack slack) {
        try {
            slack.close();
        } catch (Exception e) {
            // closing an HTTP client's pools; nothing to do about a failure here
        }
    }
}
