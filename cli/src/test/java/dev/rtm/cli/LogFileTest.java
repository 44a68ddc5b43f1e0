package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** #17.14: on a terminal the demo's log lines go to a file, not between progress-line redraws. */
class LogFileTest {

    @TempDir
    Path tmp;

    @AfterEach
    void restoreLogging() {
        ((LoggerContext) LogManager.getContext(false)).reconfigure();
    }

    @Test
    void everyLoggerWritesToTheFileAndNothingToTheConsole() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ((LoggerContext) LogManager.getContext(false)).reconfigure(); // console appender bound to the captured stream
        System.setErr(new PrintStream(console, true));
        try {
            ((LoggerContext) LogManager.getContext(false)).reconfigure();
            Path file = LogFile.redirect(tmp.resolve("demo.log"));
            LoggerFactory.getLogger("dev.rtm.host.notify.Grouper").warn("rtm line one");
            LoggerFactory.getLogger("org.apache.flink.runtime.checkpoint.CheckpointCoordinator").warn("flink line two");
            assertThat(Files.readString(file)).contains("rtm line one", "flink line two");
        } finally {
            System.setErr(err);
        }
        assertThat(console.toString()).doesNotContain("rtm line one").doesNotContain("flink line two");
    }
}
