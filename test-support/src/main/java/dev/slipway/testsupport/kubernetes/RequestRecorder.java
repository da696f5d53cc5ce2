package dev.slipway.testsupport.kubernetes;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Writes down, for the RBAC check, each distinct API access a service makes to a mock API server:
 * one line per (service, {@link ApiAccess}) with a request that made it, in
 * {@code target/kubernetes-requests/<class that started the server>.tsv}. A service reaches the mock
 * under a path of its own ({@link #servicePath}, taken off before the request is answered); the test's
 * own clients use the plain address and are not written, so setting up or checking the world never
 * counts as the service's doing. (Not a bearer token: Helm's Go client sends credentials over TLS only,
 * and the mock speaks plain HTTP.) The first server of a test JVM empties the directory: it then holds
 * the last test run's requests only.
 */
public final class RequestRecorder extends Dispatcher {

    /** Where recordings go unless {@code slipway.kubernetes.requests} says otherwise. */
    public static final String DIRECTORY = "target/kubernetes-requests";
    private static final String PREFIX = "/slipway-service/";
    private static final String HEADER = "# service\tverb\tapiGroup\tresource\tnamespace\tname\tnonResourcePath\t"
            + "request\n";
    private static final Map<Path, Set<String>> WRITTEN = new ConcurrentHashMap<>();

    private final Dispatcher delegate;
    private final Path file;

    RequestRecorder(Dispatcher delegate, String owner) {
        this.delegate = delegate;
        this.file = directory().resolve(owner + ".tsv");
    }

    /** The path under which {@code service} reaches the mock (its API server address ends with it). */
    public static String servicePath(String service) {
        if (!service.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("service names are lower-case words: " + service);
        }
        return PREFIX + service;
    }

    public static Path directory() {
        String configured = System.getProperty("slipway.kubernetes.requests");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve(DIRECTORY);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String target = request.getPath();
        if (target.startsWith(PREFIX)) {
            int end = target.indexOf('/', PREFIX.length());
            String service = target.substring(PREFIX.length(), end < 0 ? target.length() : end);
            request = new RecordedRequest(request.getHttpVersion(), request.method(),
                    end < 0 ? "/" : target.substring(end), request.getHeaders(), request.getBody());
            record(service, request);
        }
        return delegate.dispatch(request);
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    private void record(String service, RecordedRequest request) {
        String target = request.getPath();
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? "" : target.substring(question + 1);
        ApiAccess access = ApiAccess.of(request.getMethod(), path, query);
        String key = String.join("\t", service, access.verb(), access.apiGroup(), access.resource(),
                access.namespace(), access.name(), access.isResource() ? "-" : access.nonResourcePath());
        if (opened(file).add(key)) {
            synchronized (WRITTEN) {
                try {
                    Files.writeString(file, key + "\t" + request.getMethod() + " " + target + "\n",
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static Set<String> opened(Path file) {
        Set<String> written = WRITTEN.get(file);
        if (written != null) {
            return written;
        }
        synchronized (WRITTEN) {
            try {
                if (WRITTEN.isEmpty() && Files.isDirectory(file.getParent())) {
                    try (Stream<Path> stale = Files.list(file.getParent())) {
                        for (Path old : stale.filter(p -> p.toString().endsWith(".tsv")).toList()) {
                            Files.delete(old);
                        }
                    }
                }
                if (!WRITTEN.containsKey(file)) {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, HEADER);
                    WRITTEN.put(file, ConcurrentHashMap.newKeySet());
                }
                return WRITTEN.get(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Every recorded access in {@code directory}, by service. */
    public static Map<String, Set<ApiAccess>> read(Path directory) {
        Map<String, Set<ApiAccess>> byService = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return byService;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".tsv")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    List<String> f = List.of(line.split("\t", -1));
                    ApiAccess access = new ApiAccess(f.get(1), f.get(2), f.get(3), f.get(4), f.get(5),
                            f.get(6).equals("-") ? null : f.get(6));
                    byService.computeIfAbsent(f.get(0), service -> new TreeSet<>(
                            java.util.Comparator.comparing(ApiAccess::toString))).add(access);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byService;
    }
}
