package dev.slipway.testsupport;

import dev.slipway.embedded.LoopbackPorts;

/** A free loopback port for servers that cannot be told to pick one themselves. */
public final class FreePorts {

    private FreePorts() {
    }

    public static int next() {
        return LoopbackPorts.free();
    }
}
