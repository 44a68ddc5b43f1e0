package dev.rtm.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer order of rtm's modules and of the job's packages, checked on the compiled classes (the
 * main classes of every module on this module's classpath; tests excluded). Maven already refuses a
 * module importing one it does not depend on; these rules keep what each module may depend on
 * from growing by accident, and keep the job's stages from reaching back into the job's assembly.
 */
class ModuleLayersTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")) // host's test fixtures
                .importPackages("dev.rtm");
    }

    @Test
    void modulesDependOnlyDownward() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("dev.rtm..")
                .layer("cli").definedBy("dev.rtm.cli..")
                .layer("host").definedBy("dev.rtm.host..")
                .layer("agent").definedBy("dev.rtm.agent..")
                .layer("ingest").definedBy("dev.rtm.ingest..")
                .layer("local-services").definedBy("dev.rtm.local..")
                .layer("wire-format").definedBy("dev.rtm.wire..")
                .layer("plugin-api").definedBy("dev.rtm.api..")
                .layer("plugin-support").definedBy("dev.rtm.support..") // here through the plugin zips' own dependencies
                .layer("http-recorder").definedBy("dev.rtm.recorder..")
                .layer("dashboard-render").definedBy("dev.rtm.render..")
                .layer("test-support").definedBy("dev.rtm.testing..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("test-support").mayNotBeAccessedByAnyLayer()
                .whereLayer("host").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("agent").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("ingest").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("local-services").mayOnlyBeAccessedByLayers("cli", "test-support")
                .whereLayer("http-recorder").mayOnlyBeAccessedByLayers("cli", "local-services")
                .whereLayer("dashboard-render").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("dashboard-render").mayNotAccessAnyLayer() // a dashboard JSON and a JDBC connection in, an image out
                .whereLayer("wire-format").mayOnlyBeAccessedByLayers("cli", "host", "agent", "ingest", "local-services", "test-support")
                .whereLayer("plugin-support").mayNotBeAccessedByAnyLayer()
                .whereLayer("plugin-api").mayOnlyBeAccessedByLayers("cli", "host", "test-support", "plugin-support")
                .check(classes);
    }

    /** Config, plugin loading and retry sit under the stages (the alert rule, a config value, is read by config). */
    @Test
    void theJobsSettingsAndPluginLoadingKnowNoStage() {
        noClasses().that().resideInAnyPackage("dev.rtm.host.config..", "dev.rtm.host.plugin..", "dev.rtm.host.retry..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rtm.host.source..", "dev.rtm.host.decode..",
                        "dev.rtm.host.detect..", "dev.rtm.host.notify..", "dev.rtm.host.sink..", "dev.rtm.host.job..")
                .check(classes);
    }

    /** The stages get their settings as values they can see (config, their own package), not from the job that wires them. */
    @Test
    void theJobsStagesKnowNothingOfItsAssembly() {
        noClasses().that().resideInAnyPackage("dev.rtm.host.source..", "dev.rtm.host.decode..", "dev.rtm.host.detect..",
                        "dev.rtm.host.alert..", "dev.rtm.host.notify..", "dev.rtm.host.sink..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rtm.host.job..")
                .check(classes);
    }
}
