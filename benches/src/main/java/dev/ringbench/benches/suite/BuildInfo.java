package dev.ringbench.benches.suite;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What the build put into {@code dev/ringbench/benches/build.properties} (Maven resource filtering
 * of the poms' version properties, and the commit): the project version, the commit benches.jar
 * was built from, and the exact version of every library and build plugin. Read from the build
 * itself because the shaded jar keeps no library's manifest.
 */
public final class BuildInfo {
    private static final String RESOURCE = "/dev/ringbench/benches/build.properties";
    private static final Properties PROPERTIES = load();

    private BuildInfo() {
    }

    /** The project version ({@code 0.1.0-SNAPSHOT}). */
    public static String version() {
        return get("version");
    }

    /** The commit benches.jar was built from, abbreviated, with {@code -dirty} for local changes; or "unknown". */
    public static String commit() {
        return get("commit");
    }

    /** {@code groupId:artifactId} to version, for every library benches.jar carries. */
    public static Map<String, String> libraries() {
        return withPrefix("lib.");
    }

    /** Maven plugin to version, for every plugin that built benches.jar. */
    public static Map<String, String> plugins() {
        return withPrefix("plugin.");
    }

    private static Map<String, String> withPrefix(String prefix) {
        Map<String, String> m = new TreeMap<>();
        for (String k : PROPERTIES.stringPropertyNames()) {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), get(k));
            }
        }
        return m;
    }

    /** A property, or "unknown" where the build left it unset (unfiltered, or no such key). */
    private static String get(String key) {
        String v = PROPERTIES.getProperty(key);
        return v == null || v.isBlank() || v.contains("${") ? "unknown" : v.trim();
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // absent: every value reads "unknown"
        }
        return p;
    }
}
