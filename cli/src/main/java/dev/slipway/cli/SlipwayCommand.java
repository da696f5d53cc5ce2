package dev.slipway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code slipway} command line. */
@Command(name = "slipway", mixinStandardHelpOptions = true, versionProvider = SlipwayCommand.Version.class,
        description = "Push source or an image and get a running app at a URL.",
        footer = {"", "Every push gets an id at once; follow it, inspect it and replay failed stages by that id."})
public class SlipwayCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SlipwayCommand()).execute(args));
    }

    /** Without a subcommand there is nothing to do: show what there is. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SlipwayCommand.class.getPackage().getImplementationVersion();
            return new String[] {"slipway " + (version == null ? "development build" : version)};
        }
    }
}
