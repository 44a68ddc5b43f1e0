package dev.rtm.plugins.rcf;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.state.RandomCutForestMapper;
import com.amazon.randomcutforest.state.RandomCutForestState;
import dev.rtm.api.StateFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * A forest as bytes and back, through RCF's own state mapper ({@link RandomCutForestMapper}: trees,
 * samplers, point store and the executor context, compressed) and the state classes' Java
 * serialisation (each declares {@code serialVersionUID = 1}). Reading accepts only RCF's state
 * classes, lists, strings and primitive arrays, so bytes that are not a forest cannot instantiate
 * anything else.
 */
final class ForestCodec {

    /** The classes a forest state is made of; everything else is refused while reading. */
    private static final ObjectInputFilter ONLY_FOREST_STATE = ObjectInputFilter.Config.createFilter(
            "com.amazon.randomcutforest.state.**;java.util.ArrayList;java.lang.String;java.lang.Number;"
                    + "java.lang.Long;java.lang.Integer;java.lang.Double;java.lang.Float;java.lang.Boolean;"
                    + "java.lang.Object;maxdepth=20;!*"); // Object: the element type of ArrayList's Object[]

    private ForestCodec() {
    }

    private static RandomCutForestMapper mapper() {
        RandomCutForestMapper m = new RandomCutForestMapper();
        m.setSaveExecutorContextEnabled(true);
        m.setSaveTreeStateEnabled(true); // the trees as they are: a restore continues exactly
        m.setSaveSamplerStateEnabled(true);
        m.setSaveCoordinatorStateEnabled(true);
        m.setCompressionEnabled(true);
        m.setPartialTreeStateEnabled(true);
        return m;
    }

    static byte[] write(RandomCutForest forest) {
        RandomCutForestState state = mapper().toState(forest);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the forest state", e);
        }
        return bytes.toByteArray();
    }

    static RandomCutForest read(byte[] bytes) throws StateFormatException {
        Object o;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(ONLY_FOREST_STATE);
            o = in.readObject();
        } catch (InvalidClassException e) {
            throw new StateFormatException("rcf state holds a class that is not part of a forest state: " + e.getMessage());
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new StateFormatException("rcf forest bytes are not readable: " + e);
        }
        if (!(o instanceof RandomCutForestState state)) {
            throw new StateFormatException("rcf forest bytes hold a " + o.getClass().getName() + ", not a forest");
        }
        try {
            return mapper().toModel(state);
        } catch (RuntimeException e) {
            throw new StateFormatException("rcf forest state cannot be rebuilt: " + e);
        }
    }
}
