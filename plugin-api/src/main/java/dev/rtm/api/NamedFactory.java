package dev.rtm.api;

/**
 * What every rtm extension declares about itself: a stable name, a one-line description, the
 * config keys it accepts and (with no code of its own) its plugin's version. The host lists these
 * in {@code rtm plugins} and validates each configured section against {@link #configSpec()}
 * before calling the factory.
 */
public interface NamedFactory {

    /**
     * The stable, lower-case name users select in the config file, e.g. {@code "ewma"}. For a
     * detector it is also the default value of the {@code model} column the host writes.
     * Letters, digits and {@code -} only; must not change between versions.
     */
    String name();

    /** One line for humans: what the extension does. */
    String description();

    /** The config keys this extension accepts, with defaults and validation. */
    ConfigSpec configSpec();

    /**
     * The version of the plugin this extension comes from, shown by {@code rtm plugins}. The
     * default reads the manifest of the jar (or unpacked {@code classes/} dir) the class was loaded
     * from: {@code Plugin-Version} (the PF4J descriptor), else {@code Implementation-Version}, else
     * the package's implementation version; {@code "unknown"} when none is declared.
     * Override it only to report something else.
     */
    default String version() {
        return FactoryVersion.of(getClass());
    }
}
