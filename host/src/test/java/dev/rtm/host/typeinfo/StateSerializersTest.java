package dev.rtm.host.typeinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Random;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.api.common.typeutils.base.array.LongPrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The keyed state's compact serializers write every value back equal, in fewer bytes than Flink's
 * fixed-width ones, and take over state those wrote: restored as Flink restores a checkpoint (the
 * old serializer's snapshot written and read back, the old serializer rebuilt from it, the new one
 * asked whether it can take over), the values come out equal and are written anew.
 */
public class StateSerializersTest {

    static final long NOW = 1_764_720_000_000L;

    @Test
    void longArraysComeBackEqualAndSmall() throws Exception {
        long[] idleAlert = {0, 0, 0, 0, 0, 12_345, 16};
        assertThat(roundTrip(VarLongArraySerializer.INSTANCE, idleAlert)).containsExactly(idleAlert);
        assertThat(bytes(VarLongArraySerializer.INSTANCE, idleAlert)).as("7 numbers, one of them 12 345").isEqualTo(9);
        long[] progress = {NOW, 3};
        assertThat(bytes(VarLongArraySerializer.INSTANCE, progress)).isEqualTo(1 + 6 + 1);
        long[] edges = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 127, 128, Double.doubleToLongBits(-0.5), 1L << 62};
        assertThat(roundTrip(VarLongArraySerializer.INSTANCE, edges)).containsExactly(edges);
        assertThat(roundTrip(VarLongArraySerializer.INSTANCE, new long[0])).isEmpty();
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            long[] any = random.longs(random.nextInt(40)).map(v -> v >> random.nextInt(64)).toArray();
            assertThat(roundTrip(VarLongArraySerializer.INSTANCE, any)).containsExactly(any);
        }
    }

    @Test
    void bytesComeBackEqualWithAShortLength() throws Exception {
        for (int n : new int[] {0, 1, 127, 128, 16_383, 16_384, 100_000}) {
            byte[] b = new byte[n];
            new Random(n).nextBytes(b);
            assertThat(roundTrip(VarBytesSerializer.INSTANCE, b)).containsExactly(b);
        }
        assertThat(bytes(VarBytesSerializer.INSTANCE, new byte[75])).isEqualTo(76);
    }

    @Test
    void corruptLengthsAreRefusedNotAllocated() {
        byte[] tenContinuations = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1};
        assertThatThrownBy(() -> VarLongArraySerializer.INSTANCE.deserialize(new DataInputDeserializer(tenContinuations)))
                .isInstanceOf(IOException.class).hasMessageContaining("more than 10 bytes");
        byte[] huge = {-1, -1, -1, -1, 15}; // 2^32 - 1
        assertThatThrownBy(() -> VarBytesSerializer.INSTANCE.deserialize(new DataInputDeserializer(huge)))
                .isInstanceOf(IOException.class).hasMessageContaining("length 4294967295");
    }

    @Test
    void stateOfFlinksFixedWidthSerializersIsTakenOver() throws Exception {
        long[] values = {NOW, 42, -7, 0};
        assertThat(takenOver(LongPrimitiveArraySerializer.INSTANCE, VarLongArraySerializer.INSTANCE, values)).containsExactly(values);
        byte[] saved = {'r', 4, 'e', 'w', 'm', 'a', 2, 9, 9};
        assertThat(takenOver(BytePrimitiveArraySerializer.INSTANCE, VarBytesSerializer.INSTANCE, saved)).containsExactly(saved);
        assertThat(resolve(VarLongArraySerializer.INSTANCE, VarLongArraySerializer.INSTANCE).isCompatibleAsIs()).isTrue();
        assertThat(resolve(BytePrimitiveArraySerializer.INSTANCE, VarLongArraySerializer.INSTANCE).isIncompatible()).isTrue();
    }

    /**
     * Writes {@code value} with {@code old} as a checkpoint of an earlier version holds it (with the
     * old serializer's snapshot), restores it as Flink does, and writes and reads it with {@code now}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> T takenOver(TypeSerializer<T> old, TypeSerializer<T> now, T value) throws Exception {
        DataOutputSerializer checkpoint = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(checkpoint, old.snapshotConfiguration());
        old.serialize(value, checkpoint);
        DataInputDeserializer in = new DataInputDeserializer(checkpoint.getCopyOfBuffer());
        TypeSerializerSnapshot<T> oldSnapshot = TypeSerializerSnapshot.readVersionedSnapshot(in, StateSerializersTest.class.getClassLoader());
        T restored = oldSnapshot.restoreSerializer().deserialize(in);
        TypeSerializerSchemaCompatibility<T> c = now.snapshotConfiguration().resolveSchemaCompatibility(oldSnapshot);
        assertThat(c.isCompatibleAfterMigration()).as("%s takes over the state of %s", now, old).isTrue();
        return roundTrip(now, restored);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TypeSerializerSchemaCompatibility resolve(TypeSerializer old, TypeSerializer now) {
        return now.snapshotConfiguration().resolveSchemaCompatibility(old.snapshotConfiguration());
    }

    public static <T> T roundTrip(TypeSerializer<T> s, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        s.serialize(s.copy(value), out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T first = s.deserialize(in);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        s.copy(in, copied);
        assertThat(in.available()).as("every byte read").isZero();
        assertThat(copied.getCopyOfBuffer()).as("copied as written").isEqualTo(java.util.Arrays.copyOfRange(
                out.getCopyOfBuffer(), out.length() / 2, out.length()));
        return first;
    }

    public static <T> int bytes(TypeSerializer<T> s, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        return out.length();
    }
}
