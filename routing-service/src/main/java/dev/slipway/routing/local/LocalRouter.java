package dev.slipway.routing.local;

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
 * anything else gets a 404 that says how to get an app there. Every refusal and error is JSON in the
 * API's shape ({@link RouterAnswers}), a 502 for an app whose instances are all down included.
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
        server.setErrorHandler(new RouterErrorHandler());
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
                var app = table.appAt(host, routedPath);
                if (endpoint.isEmpty()) {
                    RouterErrorHandler.write(response, app.isPresent() ? RouterAnswers.noInstance(app.get())
                            : RouterAnswers.noApp(host, port()), callback);
                    return true;
                }
                request.setAttribute(TARGET, endpoint.get());
                // for the answer when the instances do not take the request
                app.ifPresent(routed -> request.setAttribute(RouterErrorHandler.APP, routed));
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
