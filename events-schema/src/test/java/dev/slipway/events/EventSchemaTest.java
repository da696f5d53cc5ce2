package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON Schemas, the golden examples and the Java records must describe the same data. */
class EventSchemaTest {

    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaIdResolvers(ids -> ids.mapPrefix("https://slipway.dev/schemas/",
                    "classpath:schemas/")));

    @ParameterizedTest
    @EnumSource(EventType.class)
    void goldenExampleValidatesAgainstItsSchema(EventType type) {
        assertThat(errors(type, golden(type))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void goldenExampleReadsIntoItsRecordAndWritesBackUnchanged(EventType type) {
        JsonNode golden = golden(type);
        EventData data = EventJson.mapper().treeToValue(golden, type.dataClass());
        JsonNode written = EventJson.mapper().readTree(EventJson.mapper().writeValueAsString(data));
        assertThat(written).as("round trip of %s", type.type()).isEqualTo(golden);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void whatTheRecordsWriteValidatesAgainstTheSchema(EventData data) {
        EventType type = EventType.of(data);
        JsonNode written = EventJson.mapper().readTree(EventJson.mapper().writeValueAsString(data));
        assertThat(errors(type, written)).isEmpty();
    }

    @Test
    void everyRecordTypeIsCoveredBySamples() {
        assertThat(samples().map(EventType::of).distinct())
                .containsExactlyInAnyOrder(EventType.values());
        assertThat(EventData.class.getPermittedSubclasses())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(EventType.values()).map(EventType::dataClass)
                        .toList());
    }

    @Test
    void schemaRefusesUnknownFieldsSoRecordAndSchemaCannotDrift() {
        ObjectNode withExtra = (ObjectNode) golden(EventType.BLOB_UPLOADED);
        withExtra.put("password", "s3cret");
        assertThat(errors(EventType.BLOB_UPLOADED, withExtra))
                .anySatisfy(error -> assertThat(error.getMessage()).contains("password"));
    }

    @Test
    void schemaRefusesMissingRequiredFieldsAndBadNames() {
        ObjectNode missing = (ObjectNode) golden(EventType.STAGE_REQUESTED);
        missing.remove("blobUid");
        assertThat(errors(EventType.STAGE_REQUESTED, missing))
                .anySatisfy(error -> assertThat(error.getMessage()).contains("blobUid"));

        ObjectNode badName = (ObjectNode) golden(EventType.ROUTES_READY);
        ((ObjectNode) badName.get("app")).put("name", "Hello_World");
        assertThat(errors(EventType.ROUTES_READY, badName)).isNotEmpty();
    }

    @Test
    void deployOfAnImageRequiresTheImage() {
        ObjectNode deploy = (ObjectNode) golden(EventType.DEPLOY_REQUESTED);
        deploy.remove("image");
        assertThat(errors(EventType.DEPLOY_REQUESTED, deploy))
                .anySatisfy(error -> assertThat(error.getMessage()).contains("image"));
    }

    static Stream<EventData> samples() {
        return SampleEvents.all().stream();
    }

    private static List<Error> errors(EventType type, JsonNode data) {
        Schema schema = SCHEMAS.getSchema(SchemaLocation.of("https://slipway.dev/" + type.schemaResource()));
        return schema.validate(data);
    }

    private static JsonNode golden(EventType type) {
        try (InputStream json = EventSchemaTest.class.getResourceAsStream("/examples/" + type.type() + ".json")) {
            assertThat(json).as("golden example of %s", type.type()).isNotNull();
            return EventJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
