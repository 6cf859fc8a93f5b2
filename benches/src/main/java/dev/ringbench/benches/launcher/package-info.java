/**
 * The jar's entry point, compiled for Java 17 so that {@code java -jar benches.jar} starts on an
 * older default {@code java}: it finds a JDK 25 ({@code JAVA_HOME} or {@code /usr/lib/jvm}) and
 * re-runs the jar on it with the flags the suite needs, or says clearly that none was found.
 *
 * <p>May use: the JDK 17 API only, and nothing else of this project (its classes are compiled for
 * Java 25 and cannot load on the older JVM this runs on).
 */
package dev.ringbench.benches.launcher;
