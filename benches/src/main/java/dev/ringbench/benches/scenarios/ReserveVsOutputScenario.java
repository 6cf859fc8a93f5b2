package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import java.util.List;
import dev.ringbench.benches.support.FreeRunCounters;
import dev.ringbench.benches.support.ProducerBackoff;
import dev.ringbench.benches.support.Producers;
import dev.ringbench.benches.support.Reader;
import dev.ringbench.benches.support.Sender;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.kernel.KernelRingBufProducer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static dev.ringbench.benches.charts.ChartSpec.lines;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.JMH_ERROR;

/**
 * <b>Question:</b> by payload size, what does writing a record in place (reserve, write, commit)
 * gain or lose against handing the channel a copy ({@code output}/{@code offer}), as the kernel
 * benchmark's {@code --rb-use-output} asks?
 *
 * <p>One producer thread and one consumer thread run freely ({@code parallel}, as in
 * {@link ThroughputScenario}): the JMH thread is the consumer ({@code poll(reader, 512)}), the
 * producer a thread the scenario starts ({@link Producers#freeRunning}); an attempt that finds the
 * channel full is a drop, followed by the bounded spin back-off every channel gets
 * ({@link ProducerBackoff}). In both APIs the payload is copied exactly once, from the same
 * prepared source:
 * <ul>
 *   <li>{@code api=RESERVE}: {@code tryClaim(payload)}, {@code MemorySegment.copy} into the claimed
 *       record, {@code commit()}: {@code bpf_ringbuf_reserve}/{@code submit} for the port,
 *       {@code tryClaim}/{@code commit} for Agrona, {@code tryNext}/{@code publish} for the
 *       Disruptor. The real kernel's ring ({@code KERNEL_RINGBUF_*}) cannot hand a reservation to
 *       Java (it cannot outlive its program run): its offer runs a BPF program that does
 *       {@code bpf_ringbuf_reserve}, copy, {@code bpf_ringbuf_submit}
 *       ({@code KernelRingBufProducer.useReserve(true)}), as the kernel benchmark's default;</li>
 *   <li>{@code api=OUTPUT}: {@code offer(source, 0, payload)}: {@code bpf_ringbuf_output} for the
 *       port and the kernel (the kernel benchmark's {@code --rb-use-output}), Agrona's
 *       {@code write}, the perf-buffer analogue's output, a copy into a pooled event for JCTools.</li>
 * </ul>
 * What the suite runs ({@code Scenario.params(preset, kind)}): both APIs for the port, the kernel
 * and Agrona; {@code OUTPUT} only for competitors that cannot reserve (the perf-buffer analogue,
 * the real kernel's perf buffer, JCTools: asked for {@code RESERVE} directly, setup fails with
 * "not supported"); {@code RESERVE}
 * only for the Disruptor, which has no copy-in call of its own: its adapter's offer is claim, copy,
 * publish, the same calls as {@code RESERVE} (asked for {@code OUTPUT} directly, it runs them).
 * The kernel kinds copy the payload twice (into the program's io map, then into the ring) and make
 * a syscall per record in both APIs: compare a kernel kind's two APIs with each other, and with the
 * peers only as "what the real kernel costs from user space".
 *
 * <p><b>Metrics</b> (per second). Primary score: records delivered to the consumer (one JMH
 * operation is one record; the consumer reads each record's first 8 bytes in place), with
 * {@code hits} the same count beside it. Secondary: {@code sent} (records the producer placed),
 * {@code drops} (attempts that found the channel full) and {@code backoffs} (one per drop).
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run reserve-vs-output}, or through JMH directly:
 * {@code java -jar benches.jar jmh ReserveVsOutputScenario -p channel=BPF_RINGBUF_LIBBPF
 * -p api=RESERVE,OUTPUT -p payload=8,1024}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReserveVsOutputScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(7, "reserve-vs-output", ReserveVsOutputScenario.class)
            .question("Reserve-then-commit against copy-in output, by payload size")
            .kinds(Scenario.twoDisruptorStrategies())
            .param("payload", "64", "8,1024", "8,64,256,1024")
            .param("api", "RESERVE,OUTPUT", "RESERVE,OUTPUT", "RESERVE,OUTPUT")
            // RESERVE: where a producer can reserve (the kernel kinds reserve inside their BPF program);
            // OUTPUT: everywhere but the Disruptor, whose only copy-in is claim, copy, publish (RESERVE again)
            .perKind((kind, p) -> Scenario.keepValues(p, "api", v -> v.equals("OUTPUT")
                    ? kind.library() != ChannelKind.Library.DISRUPTOR
                    : kind.capabilities().reserveCommit() || Scenario.isKernelRing(kind)))
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
        lines("reserve-vs-output", "reserve-vs-output", "Reserve-then-commit against copy-in output, by payload size")
                .x("payload", "payload (bytes)").logX().variants("api").order("api", "RESERVE", "OUTPUT")
                .yRate("records delivered", "records/s", jmh("hits"))
                .note("Solid: reserve, write in place, commit. Dashed: copy-in output. One copy of the payload "
                        + "either way. " + JMH_ERROR));

    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    @Param({"8", "64", "256", "1024"})
    public int payload;

    /** {@code RESERVE} (reserve, write in place, commit) or {@code OUTPUT} (copy-in offer). */
    @Param({"RESERVE", "OUTPUT"})
    public String api;

    Channel ch;
    private Arena arena;
    private ChannelProducer producer;
    private MemorySegment source;
    private boolean reserve;
    private final Reader reader = new Reader();

    @Setup(Level.Trial)
    public void setup() {
        reserve = switch (api) {
            case "RESERVE" -> true;
            case "OUTPUT" -> false;
            default -> throw new IllegalArgumentException("api must be RESERVE or OUTPUT: " + api);
        };
        boolean kernel = channel == ChannelKind.KERNEL_RINGBUF_LIBBPF || channel == ChannelKind.KERNEL_RINGBUF_BATCHED;
        if (reserve && !channel.capabilities().reserveCommit() && !kernel) {
            throw new IllegalArgumentException(channel + " cannot reserve: api=RESERVE not supported (run OUTPUT)");
        }
        ch = channel.create(ChannelConfig.defaults().withMaxRecordLength(Math.max(payload, 8)));
        arena = Arena.ofShared();
        Sender sender = new Sender(ch, 0, payload, arena); // prepares the source bytes
        producer = sender.producer();
        source = sender.source();
        if (reserve && kernel) {
            // the kernel's RESERVE: Java offers, the BPF program reserves, copies and submits
            ((KernelRingBufProducer) producer).useReserve(true);
            reserve = false;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown(Blackhole bh) {
        bh.consume(reader.checksum());
        ch.close();
        arena.close();
    }

    /** One attempt of the producer thread: true when the record went in. */
    boolean produce() {
        if (reserve) {
            if (!producer.tryClaim(payload)) {
                return false;
            }
            MemorySegment.copy(source, 0, producer.buffer(), producer.offset(), payload);
            producer.commit();
            return true;
        }
        return producer.offer(source, 0, payload);
    }

    /** The producer thread, started and stopped around each iteration; the consumer's view of the channel. */
    @State(Scope.Thread)
    public static class Parallel {
        Producers producers;
        FreeRunCounters counters;
        /** From the state JMH injects, which need not be this benchmark's own instance. */
        Channel ch;
        Reader reader;
        int pending;

        @Setup(Level.Iteration)
        public void start(ReserveVsOutputScenario s, FreeRunCounters c) {
            counters = c;
            ch = s.ch;
            reader = s.reader;
            if (producers == null) {
                producers = Producers.freeRunning(s.ch, List.of(s::produce));
            }
            producers.start("reserve-vs-output-producer");
        }

        @TearDown(Level.Iteration)
        public void stop() {
            producers.stop();
            counters.producers(producers);
        }
    }

    /** One record delivered to the consumer (this thread). */
    @Benchmark
    public void parallel(Parallel p, Control ctl) {
        while (p.pending == 0) {
            if ((p.pending = p.ch.poll(p.reader, 512)) == 0) {
                p.producers.check();
                if (ctl.stopMeasurement) {
                    return; // the iteration has ended with no record (100 % discarded): at most one such operation
                }
            }
        }
        p.pending--;
        p.counters.hits++;
    }
}
