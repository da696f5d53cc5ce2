package dev.slipway.local;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What the machine shows of local mode: the sockets it listens on ({@code ss}) and its apps' containers (podman). */
final class MachineView {

    /** {@code LISTEN 0 50 127.0.0.1:19092 0.0.0.0:* users:(("java",pid=42,fd=7))}. */
    private static final Pattern LISTENER = Pattern.compile("^LISTEN\\s+\\d+\\s+\\d+\\s+(\\S+):(\\d+)\\s+.*users:\\((.*)\\)");
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private MachineView() {
    }

    /**
     * Every TCP port this JVM and its children (docker-registry) listen on, with the address: the whole
     * platform of local mode, the router included. The published ports of the apps belong to podman's
     * conmon, not to these processes.
     */
    static Map<Integer, String> ofThisProcess() throws IOException, InterruptedException {
        Set<Long> ours = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        ours.add(ProcessHandle.current().pid());
        Map<Integer, String> listening = new TreeMap<>();
        for (String line : run("ss", "-ltnpH").lines().toList()) {
            Matcher listener = LISTENER.matcher(line.strip());
            if (!listener.find()) {
                continue;
            }
            Matcher pid = PID.matcher(listener.group(3));
            while (pid.find()) {
                if (ours.contains(Long.parseLong(pid.group(1)))) {
                    listening.put(Integer.parseInt(listener.group(2)), listener.group(1));
                }
            }
        }
        return listening;
    }

    /** An IPv4 address of this machine that is not loopback: where other machines reach it. */
    static String nonLoopbackAddress() throws IOException {
        return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .map(InetAddress::getHostAddress).findFirst()
                .orElseThrow(() -> new IOException("this machine has no address but loopback"));
    }

    /** {@code ip:port} of the running instance of {@code namespace/app}, on its namespace's network. */
    static String containerAddress(String app) throws IOException, InterruptedException {
        String name = container(app);
        return run("podman", "inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}:"
                + "{{index .Config.Labels \"slipway.dev/port\"}}", name).strip();
    }

    /** A file of the memory cgroup (v1) of the running instance of {@code namespace/app}, as the app sees it. */
    static String memoryCgroup(String app, String file) throws IOException, InterruptedException {
        return run("podman", "--runtime", "runc", "exec", container(app), "busybox", "cat",
                "/sys/fs/cgroup/memory/" + file)
                .strip();
    }

    private static String container(String app) throws IOException, InterruptedException {
        List<String> names = run("podman", "ps", "--filter", "label=slipway.dev/app=" + app, "--format",
                "{{.Names}}").lines().filter(line -> !line.isBlank()).toList();
        if (names.size() != 1) {
            throw new IOException("expected one running instance of " + app + ", found " + names);
        }
        return names.get(0);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
