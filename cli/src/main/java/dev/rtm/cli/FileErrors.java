package dev.rtm.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A file error as the user should read it: one line, the path and the reason, no exception names. */
final class FileErrors {

    /** {@code /proc/x (No such file or directory)}, as java.io and ImageIO say it. */
    private static final Pattern JAVA_IO = Pattern.compile("(.+) \\((.+)\\)");

    private FileErrors() {
    }

    /** {@code PATH: reason} when {@code t} (or what it wraps) is an error about a file, else null. */
    static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String d = describeOne(c);
            if (d != null) {
                return d;
            }
            if (!(c instanceof UncheckedIOException) && !(c instanceof IOException)) {
                return null;
            }
        }
        return null;
    }

    private static String describeOne(Throwable t) {
        if (t instanceof FileSystemException f && f.getFile() != null) {
            String reason = t instanceof NoSuchFileException ? "no such file or directory"
                    : t instanceof AccessDeniedException ? "permission denied"
                    : t instanceof FileAlreadyExistsException ? (java.nio.file.Files.isRegularFile(java.nio.file.Path.of(f.getFile()))
                            ? "is a file, not a directory" : "already exists")
                    : t instanceof NotDirectoryException ? "not a directory"
                    : t instanceof DirectoryNotEmptyException ? "directory not empty"
                    : f.getReason() != null ? lower(f.getReason()) : "cannot be used";
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + reason;
        }
        if (t instanceof FileNotFoundException && t.getMessage() != null) {
            Matcher m = JAVA_IO.matcher(t.getMessage());
            return m.matches() ? m.group(1) + ": " + lower(m.group(2)) : t.getMessage();
        }
        return null;
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
