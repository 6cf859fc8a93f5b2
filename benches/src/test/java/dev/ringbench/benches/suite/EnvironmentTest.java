package dev.ringbench.benches.suite;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** env.json's facts: every library and plugin version from the build (never "unknown"), and the machine's CPU policy. */
class EnvironmentTest {
    @Test
    void everyLibraryAndPluginHasItsExactVersion() {
        Map<String, Object> env = Environment.capture(Preset.SMOKE, List.of("test"));
        @SuppressWarnings("unchecked")
        Map<String, String> libs = (Map<String, String>) env.get("libraries");
        @SuppressWarnings("unchecked")
        Map<String, String> plugins = (Map<String, String>) env.get("buildPlugins");
        for (String lib : List.of("org.openjdk.jmh:jmh-core", "com.lmax:disruptor", "org.jctools:jctools-core",
                "org.agrona:agrona", "org.hdrhistogram:HdrHistogram", "info.picocli:picocli",
                "com.fasterxml.jackson.core:jackson-databind", "org.knowm.xchart:xchart",
                "de.erichseifert.vectorgraphics2d:VectorGraphics2D")) {
            assertTrue(libs.containsKey(lib), lib + " not in " + libs);
        }
        assertTrue(plugins.containsKey("maven-compiler-plugin") && plugins.containsKey("maven-shade-plugin"), plugins.toString());
        for (var e : List.of(libs, plugins)) {
            e.forEach((k, v) -> assertTrue(v.matches("\\d+(\\.\\d+)*"), k + " has version '" + v + "'"));
        }
        // the JMH classes on this classpath are the version the build recorded
        assertEquals(libs.get("org.openjdk.jmh:jmh-core"), org.openjdk.jmh.util.Version.getPlainVersion());
        assertFalse(BuildInfo.version().equals("unknown"));
        for (String key : List.of("cpuFrequencyGovernor", "smt", "cgroupCpuQuota", "unprivilegedBpfDisabled")) {
            assertTrue(env.get(key) != null && !env.get(key).toString().isBlank(), key + ": " + env.get(key));
        }
    }
}
