package dev.rtm.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;
import org.junit.jupiter.api.Test;

/** {@link StepResolution} and {@link Refractory}: what they decide and their state. */
class ScoringStateTest {

    @Test
    void theResolutionIsTheSmallestNonZeroStepAndFloorsSigma() {
        StepResolution res = new StepResolution();
        assertThat(res.floor(0.01, 0.5)).as("no step yet: no floor").isEqualTo(0.01);
        res.learn(new double[] {10, 10, 10.5, 10.3, 10.3});
        assertThat(res.value()).isEqualTo(0.2, within(1e-12));
        assertThat(res.floor(0.01, 0.5)).isEqualTo(0.1, within(1e-12));
        assertThat(res.floor(3, 0.5)).isEqualTo(3);
    }

    @Test
    void oneEventGivesOneFlagUnlessABiggerOneFollows() {
        Refractory r = new Refractory();
        assertThat(r.report(5, 4, 2)).as("flag").isEqualTo(5);
        assertThat(r.report(4.5, 4, 2)).as("same event, quiet").isZero();
        assertThat(r.report(9, 4, 2)).as("bigger than the flag: a new event").isEqualTo(9);
        assertThat(r.report(8, 4, 2)).isZero();
        assertThat(r.report(8, 4, 2)).isZero();
        assertThat(r.report(8, 4, 2)).as("quiet points used up").isEqualTo(8);
    }

    @Test
    void bothRoundTripThroughStateAndRefuseImpossibleValues() throws StateFormatException {
        StepResolution res = new StepResolution();
        res.note(0.25);
        Refractory refractory = new Refractory();
        refractory.report(6, 4, 3);
        StateWriter w = StateWriter.begin("t", 1);
        res.writeTo(w);
        byte[] bytes = refractory.writeTo(w).toBytes();

        StateReader r = StateReader.open(bytes, "t", 1);
        StepResolution res2 = new StepResolution();
        Refractory refractory2 = new Refractory();
        res2.readFrom(r);
        refractory2.readFrom(r);
        r.end();
        assertThat(res2.value()).isEqualTo(0.25);
        assertThat(refractory2.report(5, 4, 3)).as("still inside the restored event").isZero();

        byte[] zero = StateWriter.begin("t", 1).writeDouble(0).toBytes();
        assertThatThrownBy(() -> new StepResolution().readFrom(StateReader.open(zero, "t", 1)))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("resolution");
        byte[] negative = StateWriter.begin("t", 1).writeInt(-1).writeDouble(0).toBytes();
        assertThatThrownBy(() -> new Refractory().readFrom(StateReader.open(negative, "t", 1)))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("refractory");
    }
}
