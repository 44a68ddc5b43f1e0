package dev.rtm.cli;

import dev.rtm.local.DevReceiver;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtm dev-receiver}: prints the notifications a {@code webhook} channel sends, to try alerting without Slack. */
@Command(name = "dev-receiver", mixinStandardHelpOptions = true,
        description = {"Receive notifications locally and print them: a stand-in for Slack or PagerDuty while you try "
                + "a config. Point a channel at it:",
            "  channels: { dev: { type: webhook, url: \"http://127.0.0.1:PORT/rtm\" } }"})
final class DevReceiverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "9099", paramLabel = "PORT", description = "port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class, description = "stop after this long (default: until Ctrl-C)")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (DevReceiver r = DevReceiver.start(port, line -> {
            out.println("rtm dev-receiver: " + line);
            out.flush();
        })) {
            out.println("rtm dev-receiver: listening at " + r.url() + " (a webhook channel's url); Ctrl-C stops");
            out.flush();
            CountDownLatch forever = new CountDownLatch(1);
            if (duration == null) {
                forever.await();
            } else {
                forever.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
            out.println("rtm dev-receiver: " + r.received() + " notification(s) received");
        } catch (java.net.BindException e) {
            out.println("rtm dev-receiver: port " + port + " is in use; choose another with --port");
            return Main.USER_ERROR;
        }
        return 0;
    }
}
