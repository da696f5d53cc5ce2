package dev.slipway.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Gives commands that ask for it (a constructor taking a {@link CliContext}) the context they run in. */
final class CliFactory implements CommandLine.IFactory {

    private final CliContext context;

    CliFactory(CliContext context) {
        this.context = context;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        try {
            Constructor<K> withContext = type.getDeclaredConstructor(CliContext.class);
            withContext.setAccessible(true);
            return withContext.newInstance(context);
        } catch (NoSuchMethodException plain) {
            return CommandLine.defaultFactory().create(type);
        }
    }
}
