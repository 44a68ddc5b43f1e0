package dev.rtm.host.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${env:NAME}}, {@code ${env:NAME:-default}} and {@code ${file:PATH}} in config
 * values, so secrets stay out of the file. Errors name the variable or file, never a value.
 */
final class Interpolator {

    private static final Pattern REF = Pattern.compile("\\$\\{(env|file):([^}]*)}");

    private final Map<String, String> env;
    private final Path baseDir;

    Interpolator(Map<String, String> env, Path baseDir) {
        this.env = env;
        this.baseDir = baseDir;
    }

    /** @throws IllegalArgumentException naming the missing variable or unreadable file */
    String apply(String value) {
        if (value.indexOf("${") < 0) {
            return value;
        }
        Matcher m = REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String ref = m.group(2);
            String replacement;
            if (m.group(1).equals("env")) {
                int dflt = ref.indexOf(":-");
                String name = dflt >= 0 ? ref.substring(0, dflt) : ref;
                replacement = env.get(name);
                if (replacement == null) {
                    if (dflt < 0) {
                        throw new IllegalArgumentException("environment variable " + name + " is not set");
                    }
                    replacement = ref.substring(dflt + 2);
                }
            } else {
                Path p = baseDir.resolve(ref);
                try {
                    replacement = Files.readString(p, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read file " + p + " (" + e.getClass().getSimpleName() + ")");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
