package dev.slipway.events.spring;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Configuration that applies only where apps run on the given {@link RuntimeMode}. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Conditional(ConditionalOnRuntime.OnRuntime.class)
public @interface ConditionalOnRuntime {

    RuntimeMode value();

    class OnRuntime implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Object wanted = metadata.getAnnotationAttributes(ConditionalOnRuntime.class.getName()).get("value");
            return RuntimeMode.of(context.getEnvironment()) == wanted;
        }
    }
}
