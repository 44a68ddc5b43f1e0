package dev.rtm.host.config;

import java.util.regex.Pattern;

/** JDBC URLs as they may be shown: a password in them (a {@code password=} parameter, or {@code user:pass@}) replaced by {@code ******}. */
public final class JdbcUrls {

    private static final Pattern PARAM = Pattern.compile("(?i)([?&;]password=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/@:?]*:)[^/@]*@");

    private JdbcUrls() {
    }

    /** The URL with any password in it replaced by {@code ******}; null stays null. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String s = PARAM.matcher(url).replaceAll("$1******");
        return USERINFO.matcher(s).replaceAll("$1******@");
    }
}
