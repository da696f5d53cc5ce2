package dev.slipway.testsupport.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An app that tells what it can reach from inside its container, for tests that prove apps are walled
 * off: busybox httpd on {@code $PORT} with two CGI scripts. {@code /cgi-bin/probe?label=host:port&...}
 * tries a TCP connection to each target (host {@code gateway}: its network's gateway, an address of
 * the host) and answers one line per target, {@code <label> <host>:<port> open|closed}.
 * {@code /cgi-bin/hog} grows a shell string until the kernel kills it: an app over its memory limit.
 * Only busybox is needed, as in the busybox base image the local builder uses.
 */
public final class NetworkProbe {

    /** The Procfile line that serves {@code public/}. */
    public static final String PROCFILE = "web: exec busybox httpd -f -p \"$PORT\" -h public\n";

    static final String PROBE = """
            #!/bin/sh
            printf 'Content-Type: text/plain\\r\\n\\r\\n'
            gateway=$(busybox ip route | busybox awk '/^default/ { print $3; exit }')
            IFS='&'
            for target in $QUERY_STRING; do
              label=${target%%=*}; address=${target#*=}; host=${address%:*}; port=${address##*:}
              [ "$host" = gateway ] && host=$gateway
              # -e: end as soon as connected (a server that never answers nor closes would hold nc)
              if busybox nc -w 2 "$host" "$port" -e busybox true >/dev/null 2>&1; then state=open; else state=closed; fi
              echo "$label $host:$port $state"
            done
            """;

    static final String HOG = """
            #!/bin/sh
            printf 'Content-Type: text/plain\\r\\n\\r\\n'
            grow=x
            while true; do grow="$grow$grow"; done
            """;

    private NetworkProbe() {
    }

    /** Writes the app (a Procfile, {@code public/index.html} and the scripts) into {@code folder}. */
    public static Path writeApp(Path folder) throws IOException {
        Files.createDirectories(folder.resolve("public/cgi-bin"));
        Files.writeString(folder.resolve("Procfile"), PROCFILE);
        Files.writeString(folder.resolve("public/index.html"), "network probe\n");
        script(folder.resolve("public/cgi-bin/probe"), PROBE);
        script(folder.resolve("public/cgi-bin/hog"), HOG);
        return folder;
    }

    /** The query for {@code /cgi-bin/probe}: label to {@code host:port}, in order. */
    public static String query(Map<String, String> targets) {
        return targets.entrySet().stream().map(target -> target.getKey() + "=" + target.getValue())
                .collect(Collectors.joining("&"));
    }

    /** The probe's answer, label to {@code open} or {@code closed}. */
    public static Map<String, String> states(String answer) {
        Map<String, String> states = new LinkedHashMap<>();
        answer.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(line -> {
            String[] words = line.split(" ");
            states.put(words[0], words[words.length - 1]);
        });
        return states;
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
