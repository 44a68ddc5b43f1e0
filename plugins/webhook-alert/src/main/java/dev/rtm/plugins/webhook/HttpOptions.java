package dev.rtm.plugins.webhook;

import dev.rtm.api.ConfigException;
import dev.rtm.api.ConfigKey;
import dev.rtm.api.Settings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What the two alerters of this plugin share: the timeouts and the optional HTTP authentication
 * (basic or bearer), their config keys, and the checks done at create.
 *
 * @param connectTimeout time allowed to open the connection
 * @param readTimeout time allowed for the answer once the request is sent
 * @param authorization the {@code Authorization} header value, or null
 * @param secrets every secret value, for redaction
 */
record HttpOptions(Duration connectTimeout, Duration readTimeout, String authorization, List<String> secrets) {

    static final ConfigKey<Integer> CONNECT_TIMEOUT = ConfigKey.integer("connect-timeout-ms", 5_000,
            "time allowed to open the connection").atLeast(1);
    static final ConfigKey<Integer> READ_TIMEOUT = ConfigKey.integer("read-timeout-ms", 10_000,
            "time allowed for the answer; past it the attempt fails as retryable").atLeast(1);
    static final ConfigKey<String> BASIC_USER = ConfigKey.string("basic-auth-user", "",
            "user name for HTTP basic authentication (with basic-auth-password)");
    static final ConfigKey<String> BASIC_PASSWORD = ConfigKey.optionalSecret("basic-auth-password",
            "password for HTTP basic authentication");
    static final ConfigKey<String> BEARER_TOKEN = ConfigKey.optionalSecret("bearer-token",
            "token sent as 'Authorization: Bearer ...' (instead of basic authentication)");

    /** The shared keys, in display order. */
    static final List<ConfigKey<?>> KEYS = List.of(CONNECT_TIMEOUT, READ_TIMEOUT, BASIC_USER, BASIC_PASSWORD, BEARER_TOKEN);

    /** Reads and checks the shared keys. */
    static HttpOptions of(Settings s) throws ConfigException {
        String user = s.get(BASIC_USER);
        String password = s.get(BASIC_PASSWORD);
        String bearer = s.get(BEARER_TOKEN);
        String authorization = null;
        if (!user.isEmpty() || !password.isEmpty()) {
            if (user.isEmpty()) {
                throw new ConfigException(BASIC_USER.name(), "required when basic-auth-password is set");
            }
            if (password.isEmpty()) {
                throw new ConfigException(BASIC_PASSWORD.name(), "required when basic-auth-user is set");
            }
            if (!bearer.isEmpty()) {
                throw new ConfigException(BEARER_TOKEN.name(), "give either bearer-token or basic-auth-user/password, not both");
            }
            authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        } else if (!bearer.isEmpty()) {
            authorization = "Bearer " + bearer;
        }
        return new HttpOptions(Duration.ofMillis(s.get(CONNECT_TIMEOUT)), Duration.ofMillis(s.get(READ_TIMEOUT)),
                authorization, List.of(password, bearer));
    }

    /** The headers every request carries (authorization when configured). */
    Map<String, String> headers() {
        return authorization == null ? Map.of() : Map.of("Authorization", authorization);
    }
}
