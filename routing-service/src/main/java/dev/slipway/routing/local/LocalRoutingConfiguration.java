package dev.slipway.routing.local;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.ReservedHosts;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventDeserializer;
import dev.slipway.events.spring.ConditionalOnRuntime;
import dev.slipway.events.spring.EventSource;
import dev.slipway.events.spring.RuntimeMode;
import dev.slipway.events.spring.StageAttempts;
import dev.slipway.events.spring.StageBindings;
import dev.slipway.events.spring.WallSettings;
import dev.slipway.events.spring.TopicFollower;
import dev.slipway.routing.RoutingInputs;
import dev.slipway.routing.WantedRoutes;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** Routing on this machine, when no Kubernetes cluster is configured: the route table and its proxy. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRuntime(RuntimeMode.LOCAL)
@EnableConfigurationProperties(LocalRouterProperties.class)
class LocalRoutingConfiguration {

    @Bean
    RouteTable routeTable(@Value("${slipway.system-domain:localhost}") String systemDomain,
                          ReservedHosts reservedHosts, WallSettings.Reserved reservedNamespaces) {
        return new RouteTable(new WantedRoutes(systemDomain, reservedHosts, reservedNamespaces.policy()));
    }

    @Bean
    LocalRoutes localRoutes(RouteTable table) {
        return new LocalRoutes(table);
    }

    @Bean
    TopicFollower routeTableFollower(LocalRoutes routes, KafkaAdmin kafkaAdmin) {
        EventDeserializer events = new EventDeserializer();
        return new TopicFollower(Topics.EVENTS, kafkaAdmin.getConfigurationProperties(), record -> {
            Event<EventData> event = events.deserialize(record.topic(), record.headers(), record.value());
            routes.apply(event);
        });
    }

    @Bean
    LocalRouter localRouter(RouteTable table, LocalRouterProperties properties) {
        return new LocalRouter(table, properties);
    }

    /** The stage on the event log, its inputs marked in the attempt ledger; see {@link StageBindings}. */
    @Bean
    Consumer<Event<EventData>> route(EventSource source, LocalRoutes routes, LocalRouter router,
                                     LocalRouterProperties properties, StageAttempts attempts,
                                     StreamBridge streamBridge) {
        LocalRoutingPipeline pipeline = new LocalRoutingPipeline(source.uri(), routes, router::port,
                properties.settle());
        return StageBindings.consumer(pipeline::accept, RoutingInputs.LOCAL, attempts, streamBridge);
    }
}
