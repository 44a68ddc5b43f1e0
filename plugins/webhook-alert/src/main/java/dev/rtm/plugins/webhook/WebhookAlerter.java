package dev.rtm.plugins.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.api.Alerter;
import dev.rtm.api.DeliveryException;
import dev.rtm.api.Notification;
import dev.rtm.support.HttpSender;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends each notification as one Alertmanager webhook payload. Headers: {@code Idempotency-Key}
 * (the notification's key, the same on every retry), the signature when an HMAC secret is set,
 * and the configured authorization. Returns no receipt.
 */
final class WebhookAlerter implements Alerter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final HttpSender sender;
    private final Map<String, String> headers;
    private final String receiver;
    private final int maxAlerts;
    private final SecretKeySpec hmacKey;
    private final String signatureHeader;

    WebhookAlerter(URI url, HttpSender sender, Map<String, String> headers, String receiver, int maxAlerts,
                   String hmacSecret, String signatureHeader) {
        this.url = url;
        this.sender = sender;
        this.headers = headers;
        this.receiver = receiver;
        this.maxAlerts = maxAlerts;
        this.hmacKey = hmacSecret.isEmpty() ? null : new SecretKeySpec(hmacSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.signatureHeader = signatureHeader;
    }

    @Override
    public String deliver(Notification n) throws DeliveryException {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(WebhookPayload.of(n, receiver, maxAlerts));
        } catch (JsonProcessingException e) {
            throw new DeliveryException("cannot write the webhook payload: " + e.getOriginalMessage(), false, null);
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Idempotency-Key", n.key());
        if (hmacKey != null) {
            h.put(signatureHeader, "sha256=" + sign(body));
        }
        sender.post(url, body, h);
        return null;
    }

    private String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
