package dev.rtm.host.decode;

import dev.rtm.wire.SchemaRegistryClient;
import dev.rtm.wire.WireFormat;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.DecodeException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.local.ApicurioRegistry;
import dev.rtm.testing.PortForward;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Confluent framing against a real schema registry (Apicurio, started by the test). */
class SchemaRegistryWireFormatTest {

    static ApicurioRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        registry = ApicurioRegistry.start(Path.of(System.getProperty("rtm.test.apicurio", "target/rtm/apicurio")),
                Path.of("target", "apicurio-run-" + ProcessHandle.current().pid()));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void registersTheSchemaAndReadsBothFramings() throws Exception {
        SchemaRegistryClient client = new SchemaRegistryClient(registry.confluentUrl());
        WireFormat writer = new WireFormat(Schemas.HOST_METRICS, client, "metrics-value");
        byte[] bytes = writer.encode(MetricsValidatorTest.sample("web-1", 1_700_000_000_000L, Map.of("cpu.total_pct", 3.0)));
        assertThat(bytes[0]).isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(client.register("metrics-value", Schemas.HOST_METRICS)).isEqualTo(id);

        // a fresh reader knows nothing: it fetches the schema by id from the registry
        WireFormat reader = new WireFormat(Schemas.HOST_METRICS, new SchemaRegistryClient(registry.confluentUrl()), "metrics-value");
        GenericRecord back = reader.decode(bytes);
        assertThat(back.get("host").toString()).isEqualTo("web-1");
        // and it still reads single-object encoded messages from producers without a registry
        byte[] single = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value")
                .encode(MetricsValidatorTest.sample("db-1", 1_700_000_000_000L, Map.of("load.1m", 1.0)));
        assertThat(reader.decode(single).get("host").toString()).isEqualTo("db-1");

        byte[] unknown = bytes.clone();
        ByteBuffer.wrap(unknown, 1, 4).putInt(987654);
        assertThatThrownBy(() -> reader.decode(unknown))
                .isInstanceOf(DecodeException.class)
                .hasMessage("unknown schema id 987654 (not in registry " + registry.confluentUrl() + ")");
    }

    @Test
    void anUnknownIdIsAskedOncePerIntervalNotOncePerRecord() throws Exception {
        long[] now = {0};
        SchemaRegistryClient client = new SchemaRegistryClient(registry.confluentUrl(), () -> now[0]);
        WireFormat reader = new WireFormat(Schemas.HOST_METRICS, client, "metrics-value");
        byte[] unknown = {0, 0, 0x0f, 0x42, 0x3f, 2, 3}; // schema id 999999
        for (int i = 0; i < 1000; i++) {
            assertThatThrownBy(() -> reader.decode(unknown)).isInstanceOf(DecodeException.class)
                    .hasMessageStartingWith("unknown schema id 999999 ");
        }
        assertThat(client.lookups()).as("registry lookups for 1000 records with one unknown id").isEqualTo(1);
        now[0] += SchemaRegistryClient.UNKNOWN_ID_TTL.toNanos();
        assertThatThrownBy(() -> reader.decode(unknown)).isInstanceOf(DecodeException.class);
        assertThat(client.lookups()).as("asked again once the interval has passed").isEqualTo(2);
    }

    @Test
    void decodingWaitsForARegistryThatIsAwayInsteadOfRefusingGoodRecords() throws Exception {
        int port = dev.rtm.local.Processes.freePort();
        SchemaRegistryClient client = new SchemaRegistryClient("http://127.0.0.1:" + port + "/apis/ccompat/v7");
        WireFormat reader = new WireFormat(Schemas.HOST_METRICS, client, "metrics-value");
        // a fresh registry gives the first schema registered id 1: the record a producer sends after registering there
        byte[] single = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value")
                .encode(MetricsValidatorTest.sample("web-2", 1_700_000_000_000L, Map.of("cpu.total_pct", 4.0)));
        byte[] framed = new byte[5 + single.length - 10];
        ByteBuffer.wrap(framed).put((byte) 0).putInt(1).put(single, 10, single.length - 10);

        java.util.concurrent.CompletableFuture<GenericRecord> decoded = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return DecodeFunction.decodeWaitingForRegistry(reader, framed);
            } catch (DecodeException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        dev.rtm.local.Poll.until("two attempts at the absent registry", java.time.Duration.ofSeconds(30),
                () -> client.lookups() >= 2);
        assertThat(decoded).as("no answer (and no dead letter) while the registry is away").isNotDone();

        // the registry comes back already holding the schema (as a restarted registry with storage would):
        // it starts on a port of its own, gets the schema, and only then appears on the port the decoder asks
        try (ApicurioRegistry late = ApicurioRegistry.start(Path.of(System.getProperty("rtm.test.apicurio", "target/rtm/apicurio")),
                Path.of("target", "apicurio-late-" + ProcessHandle.current().pid()))) {
            assertThat(new SchemaRegistryClient(late.confluentUrl()).register("metrics-value", Schemas.HOST_METRICS))
                    .as("the first id of a fresh registry").isEqualTo(1);
            assertThat(decoded).as("still waiting while the registry is away").isNotDone();
            try (PortForward appears = PortForward.open(port, java.net.URI.create(late.confluentUrl()).getPort())) {
                GenericRecord back = decoded.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(back.get("host").toString()).isEqualTo("web-2");
            }
        }
    }

    @Test
    void anUnreachableRegistryIsAReasonNotACrash() {
        WireFormat reader = new WireFormat(Schemas.HOST_METRICS, new SchemaRegistryClient("http://127.0.0.1:9"), "metrics-value");
        assertThatThrownBy(() -> reader.decode(new byte[] {0, 0, 0, 0, 1, 2, 3}))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining("schema registry http://127.0.0.1:9 unreachable while looking up schema id 1");
    }
}
