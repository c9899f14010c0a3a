package io.finegrained.trial;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's name, for messages that must say where something failed (looked up once). */
final class Hosts {
    private static volatile String name;

    private Hosts() {
    }

    static String name() {
        String n = name;
        if (n == null) {
            try {
                n = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                n = System.getenv().getOrDefault("HOSTNAME", "this host");
            }
            name = n;
        }
        return n;
    }
}
