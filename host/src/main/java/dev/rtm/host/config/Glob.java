package dev.rtm.host.config;

import java.util.regex.Pattern;

/**
 * Glob on names: {@code *} any run of characters (dots and slashes included), {@code ?} one
 * character, {@code {a,b}} alternatives. Everything else is literal.
 */
public final class Glob {

    private final String glob;
    private final Pattern pattern;

    private Glob(String glob, Pattern pattern) {
        this.glob = glob;
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException for unbalanced braces */
    public static Glob compile(String glob) {
        StringBuilder re = new StringBuilder();
        int depth = 0;
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '{' -> {
                    depth++;
                    re.append("(?:");
                }
                case '}' -> {
                    if (--depth < 0) {
                        throw new IllegalArgumentException("unbalanced '}' in glob '" + glob + "'");
                    }
                    re.append(')');
                }
                case ',' -> re.append(depth > 0 ? "|" : ",");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced '{' in glob '" + glob + "'");
        }
        return new Glob(glob, Pattern.compile(re.toString(), Pattern.DOTALL)); // * and ? match line separators too
    }

    /** Whether the whole name matches. */
    public boolean matches(String name) {
        return pattern.matcher(name).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
