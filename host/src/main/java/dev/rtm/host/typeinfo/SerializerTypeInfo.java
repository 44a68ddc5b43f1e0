package dev.rtm.host.typeinfo;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type information of a record that has its own serializer: Flink uses the serializer as it
 * is, instead of analysing the class as a POJO. A record type declares it with
 * {@code @TypeInfo(Its.Factory.class)}, the factory returning one of these.
 *
 * @param <T> the record type
 */
public final class SerializerTypeInfo<T> extends TypeInformation<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final TypeSerializer<T> serializer;
    private final int fields;

    /**
     * @param type the record class
     * @param serializer its serializer (stateless, shared)
     * @param fields how many fields it has
     */
    public SerializerTypeInfo(Class<T> type, TypeSerializer<T> serializer, int fields) {
        this.type = type;
        this.serializer = serializer;
        this.fields = fields;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return fields;
    }

    @Override
    public int getTotalFields() {
        return fields;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer;
    }

    @Override
    public String toString() {
        return type.getSimpleName() + " (" + serializer.getClass().getSimpleName() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SerializerTypeInfo<?> other && other.canEqual(this) && type == other.type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof SerializerTypeInfo;
    }
}
