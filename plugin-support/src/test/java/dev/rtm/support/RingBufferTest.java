package dev.rtm.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.api.StateFormatException;
import dev.rtm.api.StateReader;
import dev.rtm.api.StateWriter;
import org.junit.jupiter.api.Test;

class RingBufferTest {

    @Test
    void keepsTheNewestValuesOldestFirst() {
        RingBuffer ring = new RingBuffer(3);
        assertThat(ring.toArray()).isEmpty();
        for (int i = 1; i <= 5; i++) {
            ring.push(i);
        }
        assertThat(ring.size()).isEqualTo(3);
        assertThat(ring.capacity()).isEqualTo(3);
        assertThat(ring.back(0)).isEqualTo(5);
        assertThat(ring.back(2)).isEqualTo(3);
        assertThat(ring.toArray()).containsExactly(3, 4, 5);
        assertThat(ring.newest(2, 1)).containsExactly(3, 4);
    }

    @Test
    void roundTripsThroughStateAndKeepsTheNewestWhenTheCapacityShrank() throws StateFormatException {
        RingBuffer big = new RingBuffer(5);
        for (int i = 1; i <= 7; i++) {
            big.push(i);
        }
        byte[] bytes = big.writeTo(StateWriter.begin("t", 1)).toBytes();

        RingBuffer same = new RingBuffer(5);
        StateReader r = StateReader.open(bytes, "t", 1);
        same.readFrom(r);
        r.end();
        assertThat(same.toArray()).containsExactly(3, 4, 5, 6, 7);

        RingBuffer smaller = new RingBuffer(2);
        smaller.readFrom(StateReader.open(bytes, "t", 1));
        assertThat(smaller.toArray()).containsExactly(6, 7);
    }
}
