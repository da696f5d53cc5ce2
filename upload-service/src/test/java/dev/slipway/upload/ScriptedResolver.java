package dev.slipway.upload;

import dev.slipway.upload.webhooks.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * The webhook resolver of the test application: names under {@code .test} answer what a test scripted
 * (each lookup takes the next answer, the last one repeats; unscripted ones do not resolve); other
 * names and IP literals go to the system's resolver.
 */
@Component
@Primary
class ScriptedResolver implements HostResolver {

    private record Script(List<List<InetAddress>> answers, AtomicInteger lookups) {
    }

    private final Map<String, Script> scripts = new ConcurrentHashMap<>();

    /** {@code name} answers each group of addresses in turn, then the last group for ever. */
    void script(String name, List<List<String>> answers) {
        List<List<InetAddress>> parsed = new ArrayList<>();
        for (List<String> answer : answers) {
            parsed.add(answer.stream().map(ScriptedResolver::literal).toList());
        }
        scripts.put(name, new Script(parsed, new AtomicInteger()));
    }

    int lookups(String name) {
        Script script = scripts.get(name);
        return script == null ? 0 : script.lookups().get();
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        if (!host.endsWith(".test")) {
            return HostResolver.SYSTEM.resolve(host);
        }
        Script script = scripts.get(host);
        if (script == null) {
            throw new UnknownHostException(host + " is not scripted");
        }
        int lookup = script.lookups().getAndIncrement();
        return script.answers().get(Math.min(lookup, script.answers().size() - 1));
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
