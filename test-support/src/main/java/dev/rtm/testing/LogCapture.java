package dev.rtm.testing;

import java.io.StringWriter;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * rtm's log lines (at the levels rtm's log config gives them), and Flink's CheckpointCoordinator's
 * at info, kept in memory for a test to read; {@link #close} restores the log config.
 */
public final class LogCapture implements AutoCloseable {

    private final StringWriter lines = new StringWriter();
    private final WriterAppender appender;

    public LogCapture() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        appender = WriterAppender.newBuilder().setName("capture-" + System.nanoTime()).setTarget(lines)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %c{1} %m%n").build()).build();
        appender.start();
        ctx.getConfiguration().addAppender(appender);
        for (String name : List.of("dev.rtm", "org.apache.flink.runtime.checkpoint.CheckpointCoordinator")) {
            ctx.getConfiguration().getLoggerConfig(name).addAppender(appender, Level.ALL, null);
        }
        ctx.updateLoggers();
        // Flink says a checkpoint expired or was declined at info only (rtm's config shows its warnings)
        Configurator.setLevel("org.apache.flink.runtime.checkpoint.CheckpointCoordinator", Level.INFO);
    }

    /** The lines so far. */
    public String text() {
        return lines.toString();
    }

    /** The lines so far of the logger {@code simpleName} that contain {@code text}. */
    public List<String> lines(String simpleName, String text) {
        return text().lines().filter(l -> l.contains(" " + simpleName + " ") && l.contains(text)).toList();
    }

    @Override
    public void close() {
        ((LoggerContext) LogManager.getContext(false)).reconfigure(); // back to log4j2.xml
        appender.stop();
    }
}
