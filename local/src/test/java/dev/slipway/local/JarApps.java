package dev.slipway.local;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** An executable jar, compiled here with the JDK's compiler, that answers a fixed text on {@code $PORT}. */
final class JarApps {

    private JarApps() {
    }

    static Path httpServer(Path jar, String body) throws Exception {
        Path sources = Files.createTempDirectory("jar-app");
        Path main = sources.resolve("Main.java");
        Files.writeString(main, """
                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;
                public class Main {
                    public static void main(String[] args) throws Exception {
                        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(System.getenv("PORT"))), 0);
                        byte[] body = "%s".getBytes();
                        server.createContext("/", exchange -> {
                            exchange.sendResponseHeaders(200, body.length);
                            exchange.getResponseBody().write(body);
                            exchange.close();
                        });
                        server.start();
                    }
                }
                """.formatted(body));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler.run(null, null, null, "--release", "17", "-d", sources.toString(), main.toString()) != 0) {
            throw new IllegalStateException("the jar app did not compile");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Main");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("Main.class"));
            out.write(Files.readAllBytes(sources.resolve("Main.class")));
            out.closeEntry();
        }
        return jar;
    }
}
