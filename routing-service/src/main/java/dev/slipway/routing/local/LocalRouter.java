package dev.slipway.routing.local;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.springframework.context.SmartLifecycle;

/**
 * The HTTP reverse proxy of local mode (Jetty's {@link ProxyHandler}): a request for
 * {@code <app>.localhost:<port>} or any other routed host goes to one of the app's instances;
 * anything else gets a 404 that says how to get an app there.
 */
public final class LocalRouter implements SmartLifecycle {

    private static final String TARGET = LocalRouter.class.getName() + ".target";

    private final RouteTable table;
    private final LocalRouterProperties properties;
    private Server server;

    public LocalRouter(RouteTable table, LocalRouterProperties properties) {
        this.table = table;
        this.properties = properties;
    }

    /** The port it listens on (the configured one, or the one picked for 0). */
    public int port() {
        return server == null ? properties.port() : ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void start() {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("local-router");
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(properties.address());
        connector.setPort(properties.port());
        server.addConnector(connector);
        ProxyHandler.Reverse proxy = new ProxyHandler.Reverse(request -> {
            String endpoint = (String) request.getAttribute(TARGET);
            return HttpURI.build(request.getHttpURI()).scheme("http").host(endpoint.substring(0,
                    endpoint.lastIndexOf(':'))).port(Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':')
                    + 1)));
        });
        server.setHandler(new Handler.Wrapper(proxy) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String host = Request.getServerName(request);
                String path = request.getHttpURI().getPath();
                String routedPath = path == null ? "/" : path;
                var endpoint = table.endpointFor(host, routedPath);
                if (endpoint.isEmpty()) {
                    var app = table.appAt(host, routedPath);
                    if (app.isPresent()) {
                        return refuse(response, callback, 503, "no instance running", "app " + app.get()
                                + " has no running instance (scaled to zero?); push it with --instances 1");
                    }
                    return refuse(response, callback, 404, "no app here", "no app is routed at "
                            + host.replace("\"", "") + "; push one with: slipway push --name <app> (it answers at "
                            + "http://<app>.localhost:" + port() + "/)");
                }
                request.setAttribute(TARGET, endpoint.get());
                return super.handle(request, response, callback);
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the local router cannot listen on " + properties.address() + ":"
                    + properties.port() + " (" + e.getMessage() + "); set slipway.local.router.port", e);
        }
    }

    private static boolean refuse(Response response, Callback callback, int status, String title, String details) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        String body = "{\"errors\":[{\"status\":" + status + ",\"title\":\"" + title + "\",\"details\":\""
                + details.replace("\"", "'") + "\"}]}";
        response.write(true, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException("the local router did not stop", e);
        }
    }

    @Override
    public boolean isRunning() {
        return server != null && server.isRunning();
    }
}
