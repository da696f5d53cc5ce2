package dev.slipway.routing.local;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.ReservedHosts;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.ConditionalOnRuntime;
import dev.slipway.events.spring.EventSource;
import dev.slipway.events.spring.EventsProperties;
import dev.slipway.events.spring.StateTopicHealthIndicator;
import dev.slipway.events.spring.TopicCreation;
import dev.slipway.events.spring.RuntimeMode;
import dev.slipway.events.spring.StageAttempts;
import dev.slipway.events.spring.StageBindings;
import dev.slipway.events.spring.WallSettings;
import dev.slipway.routing.RoutingInputs;
import dev.slipway.routing.WantedRoutes;
import dev.slipway.routing.metrics.RouteMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Routing on this machine, when no Kubernetes cluster is configured: the route table (kept in
 * slipway.routes, folded from the event log) and its proxy. On Kubernetes the Ingresses are the table.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRuntime(RuntimeMode.LOCAL)
@EnableConfigurationProperties(LocalRouterProperties.class)
class LocalRoutingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LocalRoutingConfiguration.class);

    @Bean
    RouteTable routeTable(@Value("${slipway.system-domain:localhost}") String systemDomain,
                          ReservedHosts reservedHosts, WallSettings.Reserved reservedNamespaces) {
        return new RouteTable(new WantedRoutes(systemDomain, reservedHosts, reservedNamespaces.policy()));
    }

    /** Where the table keeps its entries; created here when missing, as routing-service owns it. */
    @Bean(destroyMethod = "close")
    RoutesTopic routesTopic(KafkaAdmin kafkaAdmin, Admin slipwayEventLogAdmin, EventsProperties events) {
        try {
            TopicCreation.createIfMissing(slipwayEventLogAdmin, RoutesTopic.definition(events.retention()),
                    events.healthTimeout());
        } catch (IllegalStateException e) {
            log.warn("{} (the routeTable health reports it while the table cannot be restored)", e.getMessage());
        }
        return RoutesTopic.connect(kafkaAdmin.getConfigurationProperties());
    }

    @Bean
    LocalRoutes localRoutes(RouteTable table, RoutesTopic routesTopic) {
        return new LocalRoutes(table, routesTopic);
    }

    @Bean
    RouteTableFollowers routeTableFollowers(LocalRoutes routes, KafkaAdmin kafkaAdmin) {
        return new RouteTableFollowers(routes, kafkaAdmin.getConfigurationProperties());
    }

    /** DOWN until the table is restored from slipway.routes: until then the router answers nothing. */
    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    StateTopicHealthIndicator routeTableHealthIndicator(RouteTableFollowers followers, RoutesTopic routesTopic) {
        return new StateTopicHealthIndicator(Topics.ROUTES, followers::restoreDone, () -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("restoredRecords", followers.restoredRecords());
            details.put("eventLogFolded", followers.caughtUp());
            details.put("failedWrites", routesTopic.failedWrites());
            if (routesTopic.lastFailure() != null) {
                details.put("lastFailedWrite", routesTopic.lastFailure());
            }
            return details;
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
                                     StreamBridge streamBridge, MeterRegistry meterRegistry) {
        LocalRoutingPipeline pipeline = new LocalRoutingPipeline(source.uri(), routes, router::port,
                properties.settle());
        return StageBindings.consumer(new RouteMetrics(meterRegistry).around(pipeline::accept), RoutingInputs.LOCAL, attempts, streamBridge);
    }
}
