package dev.rtm.host.typeinfo;

import java.util.function.Supplier;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * The snapshot of a serializer without configuration that replaced another one for the same state:
 * state the replaced serializer wrote (its snapshot of class {@code replaced}) is compatible after
 * migration, so Flink reads it with that serializer on restore and writes it anew with this one.
 * Each serializer still declares its own subclass with a public no-argument constructor, which
 * Flink instantiates on restore.
 */
public abstract class ReplacingSnapshot<T> extends SimpleTypeSerializerSnapshot<T> {

    private final Class<?> replaced;

    protected ReplacingSnapshot(Supplier<? extends TypeSerializer<T>> serializer, Class<?> replaced) {
        super(serializer);
        this.replaced = replaced;
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
        if (replaced.isInstance(old)) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return super.resolveSchemaCompatibility(old);
    }
}
