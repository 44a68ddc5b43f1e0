package dev.rtm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Sends every log line to a file instead of the console, for commands that redraw a progress line
 * on a terminal (a log line in between would break it). Levels stay as configured.
 */
final class LogFile {

    private LogFile() {
    }

    /** Routes all loggers to {@code file} (created, truncated) instead of the console appender; returns the file. */
    static Path redirect(Path file) throws java.io.IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        FileAppender appender = FileAppender.newBuilder().setName("rtm-log-file").withFileName(file.toString())
                .setLayout(PatternLayout.newBuilder().withPattern("%d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n").build())
                .setConfiguration(config).build();
        appender.start();
        config.addAppender(appender);
        for (LoggerConfig logger : config.getLoggers().values()) {
            for (String name : java.util.List.copyOf(logger.getAppenders().keySet())) {
                logger.removeAppender(name);
            }
            if (logger.getName().isEmpty() || !logger.isAdditive()) {
                logger.addAppender(appender, null, null);
            }
        }
        ctx.updateLoggers();
        return file;
    }
}
