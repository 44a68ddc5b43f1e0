package dev.rtm.support;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Keeps secrets (webhook URLs, tokens, keys) out of every message an alerter builds: each secret,
 * and for a URL also the parts that carry its secret and may come back alone in an answer, is
 * replaced by {@code ******}. Use it on anything a destination answered and on exception texts.
 */
public final class Redactor {

    private static final int MAX_DETAIL = 300;

    private final List<String> secrets;

    /** @param secrets values never to show; null and blank values are ignored */
    public Redactor(List<String> secrets) {
        this.secrets = secrets.stream().filter(Objects::nonNull).filter(s -> !s.isBlank())
                .flatMap(s -> Stream.concat(Stream.of(s), urlParts(s).stream())).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** {@code text} with every secret replaced by {@code ******}; "" for null. */
    public String redact(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "******");
        }
        return out;
    }

    /** A destination's error text, redacted, on one line, shortened to 300 characters; null for null. */
    public String detail(String body) {
        if (body == null) {
            return null;
        }
        String s = redact(body.strip().replaceAll("\\s+", " "));
        return s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL) + "..." : s;
    }

    /**
     * The parts of a secret URL that carry its secret and may come back alone in an answer: user
     * info, path, query, and path segments of 12 characters or more. Empty for a non-URL.
     */
    static List<String> urlParts(String secret) {
        URI uri;
        try {
            uri = new URI(secret.trim());
        } catch (URISyntaxException e) {
            return List.of();
        }
        if (uri.getScheme() == null) {
            return List.of();
        }
        List<String> parts = new ArrayList<>();
        parts.add(uri.getRawUserInfo());
        parts.add(uri.getRawQuery());
        String path = uri.getRawPath();
        if (path != null && path.length() > 1) {
            parts.add(path);
            for (String segment : path.split("/")) {
                if (segment.length() >= 12) {
                    parts.add(segment);
                }
            }
        }
        return parts.stream().filter(Objects::nonNull).filter(p -> !p.isBlank()).toList();
    }
}
