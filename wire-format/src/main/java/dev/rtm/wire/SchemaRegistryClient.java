package dev.rtm.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A small client of the Confluent Schema Registry REST API ({@code /subjects/{s}/versions},
 * {@code /schemas/ids/{id}}), which Confluent's registry and Apicurio's {@code /apis/ccompat/v7}
 * both serve. Schemas by id are cached for the life of the client (ids are immutable); an id the
 * registry does not know is remembered as unknown for {@link #UNKNOWN_ID_TTL}, so a stream of records
 * with garbage ids costs one lookup per id and interval instead of one per record (a producer
 * registers its schema before it sends, so a real id is unknown only until the registry has it).
 */
public final class SchemaRegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> registered = new ConcurrentHashMap<>();
    /** Ids the registry answered 404 for, with when to ask again (nanoTime). */
    private final Map<Integer, Long> unknownUntil = new ConcurrentHashMap<>();

    /** How long a 404 for a schema id is believed. */
    public static final Duration UNKNOWN_ID_TTL = Duration.ofSeconds(10);
    private static final int MAX_UNKNOWN_IDS = 10_000;
    private final java.util.function.LongSupplier nanoClock;
    private final java.util.concurrent.atomic.AtomicLong lookups = new java.util.concurrent.atomic.AtomicLong();

    /** @param baseUrl e.g. {@code http://localhost:8081} or {@code http://host:8080/apis/ccompat/v7} */
    public SchemaRegistryClient(String baseUrl) {
        this(baseUrl, System::nanoTime);
    }

    public SchemaRegistryClient(String baseUrl, java.util.function.LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** How many schema ids this client has asked the registry for (cached answers are not asked again). */
    public long lookups() {
        return lookups.get();
    }

    /** The registry's URL, for messages. */
    public String url() {
        return baseUrl;
    }

    /** Registers (or finds) {@code schema} under {@code subject} and returns its id. */
    public int register(String subject, Schema schema) throws IOException {
        String key = subject + "\u0000" + schema;
        Integer known = registered.get(key);
        if (known != null) {
            return known;
        }
        String body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
        JsonNode reply = call(HttpRequest.newBuilder(URI.create(baseUrl + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), "registering the schema of subject " + subject);
        int id = reply.path("id").asInt(-1);
        if (id < 0) {
            throw new IOException("schema registry " + Urls.redact(baseUrl) + " gave no id for subject " + subject + ": " + reply);
        }
        registered.put(key, id);
        byId.put(id, schema);
        return id;
    }

    /** The schema with that id, or null if the registry does not know it. */
    public Schema byId(int id) throws IOException {
        Schema cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        Long until = unknownUntil.get(id);
        if (until != null && nanoClock.getAsLong() - until < 0) {
            return null;
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseUrl + "/schemas/ids/" + id)).GET();
        lookups.incrementAndGet();
        HttpResponse<String> resp = send(req, "looking up schema id " + id);
        if (resp.statusCode() == 404) {
            if (unknownUntil.size() >= MAX_UNKNOWN_IDS) {
                unknownUntil.clear(); // random ids: bounded memory, at the price of asking again
            }
            unknownUntil.put(id, nanoClock.getAsLong() + UNKNOWN_ID_TTL.toNanos());
            return null;
        }
        unknownUntil.remove(id);
        JsonNode reply = parse(resp, "looking up schema id " + id);
        Schema s = new Schema.Parser().parse(reply.path("schema").asText());
        byId.put(id, s);
        return s;
    }

    private JsonNode call(HttpRequest.Builder req, String what) throws IOException {
        return parse(send(req, what), what);
    }

    private HttpResponse<String> send(HttpRequest.Builder req, String what) throws IOException {
        try {
            return http.send(req.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what, e);
        } catch (IOException e) {
            throw new IOException("schema registry " + Urls.redact(baseUrl) + " unreachable while " + what + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private JsonNode parse(HttpResponse<String> resp, String what) throws IOException {
        if (resp.statusCode() / 100 != 2) {
            throw new IOException("schema registry " + Urls.redact(baseUrl) + " answered HTTP " + resp.statusCode() + " while "
                    + what + ": " + resp.body());
        }
        return JSON.readTree(resp.body());
    }
}
