package dev.rtm.wire;

import java.util.regex.Pattern;

/**
 * URLs (JDBC, HTTP, ...) as they may be shown: a password or token in them (a {@code password=},
 * {@code token=}, {@code access_token=}, {@code api_key=}, {@code secret=}, {@code sig=} and similar
 * query parameter, or {@code user:pass@}) replaced by {@code ******}.
 */
public final class Urls {

    private static final Pattern PARAM = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|pass|token|access_token|auth_token|refresh_token|id_token|api_key|apikey|api-key"
                    + "|key|secret|client_secret|signature|sig|sessionid|session)=)[^&;#\\s]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/@:?]*:)[^/@]*@");

    private Urls() {
    }

    /** The URL with any password or token in it replaced by {@code ******}; null stays null. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String s = PARAM.matcher(url).replaceAll("$1******");
        return USERINFO.matcher(s).replaceAll("$1******@");
    }
}
