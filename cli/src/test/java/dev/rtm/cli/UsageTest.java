package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/** How the CLI presents itself: usage errors exit 2, and every command's help reads the same way. */
class UsageTest {

    @Test
    void rtmWithoutACommandIsAUsageErrorOnStderr() {
        Cli r = Cli.run();
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("rtm: missing command").contains("Usage: rtm").contains("replay");

        Cli help = Cli.run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: rtm");
    }

    private static List<CommandLine> all(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>(List.of(cl));
        for (CommandLine sub : cl.getSubcommands().values()) {
            out.addAll(all(sub));
        }
        return out;
    }

    @Test
    void everyPlaceholderIsUpperCaseAndEveryDefaultIsShown() {
        List<String> problems = new ArrayList<>();
        for (CommandLine c : all(new CommandLine(new Main()))) {
            String cmd = c.getCommandSpec().qualifiedName();
            List<ArgSpec> args = new ArrayList<>(c.getCommandSpec().options());
            args.addAll(c.getCommandSpec().positionalParameters());
            for (ArgSpec a : args) {
                String name = a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
                if (a.typeInfo().isBoolean() || a.arity().max() == 0 || name.equals("--help") || name.equals("--version")) {
                    continue;
                }
                if (!a.paramLabel().matches("[A-Z][A-Za-z0-9_.:=\\[\\],/|-]*")) {
                    problems.add(cmd + " " + name + ": placeholder " + a.paramLabel());
                }
                Object initial = a.defaultValue() != null ? a.defaultValue() : a.initialValue();
                boolean hasDefault = initial != null && !"".equals(initial) && !(initial instanceof Collection<?> col && col.isEmpty())
                        && !(initial instanceof Map<?, ?> m && m.isEmpty());
                String description = String.join(" ", a.description());
                if (hasDefault && a instanceof OptionSpec && !description.contains("default")) {
                    problems.add(cmd + " " + name + ": default " + initial + " not shown");
                }
            }
        }
        assertThat(problems).isEmpty();
    }
}
