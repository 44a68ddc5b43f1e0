package dev.rtm.cli;

import dev.rtm.host.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as people write them ({@link Durations}): {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, or ISO {@code PT5S}. */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String s) {
        try {
            return Durations.parse(s);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
