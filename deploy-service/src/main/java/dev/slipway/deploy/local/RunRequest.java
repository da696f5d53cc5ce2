package dev.slipway.deploy.local;

/**
 * One instance to start: its container, the network of its namespace, and the port it listens on
 * inside, published on the host's loopback under the same number (see {@link Podman#run}).
 */
record RunRequest(String name, String image, String network, int port, AppLimits limits) {
}
