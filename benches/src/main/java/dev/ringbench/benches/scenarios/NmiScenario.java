package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import java.util.List;
import java.util.Map;
import dev.ringbench.benches.support.FreeRunCounters;
import dev.ringbench.benches.support.ProducerBackoff;
import dev.ringbench.benches.support.Producers;
import dev.ringbench.benches.support.SideMetrics;
import dev.ringbench.benches.support.Reader;
import dev.ringbench.benches.support.Sender;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.ChannelProducer;
import dev.ringbench.competitors.bpfringbuf.BpfRingBufChannel;
import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.LockEra;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.Control;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;

import static dev.ringbench.benches.charts.ChartSpec.bars;
import static dev.ringbench.benches.charts.ChartSpec.lines;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.ratio;
import static dev.ringbench.benches.charts.ChartSpec.extra;
import static dev.ringbench.benches.charts.ChartSpec.JMH_ERROR;

/**
 * <b>Question:</b> under producer contention, how often does a reservation made in NMI context
 * fail to take the ring buffer's lock, in each lock era, and what does the channel's throughput do
 * meanwhile?
 *
 * <p>{@value #PRODUCERS} producer threads and one consumer thread run freely: the consumer is the
 * JMH thread ({@code poll(reader, 512)}, one JMH operation per record delivered), the producers
 * are threads the scenario starts ({@link Producers#freeRunning}). More than one
 * producer is needed: an NMI reservation only fails (5.8 lock: {@code spin_trylock}) when
 * <em>another</em> thread holds the lock, and the consumer never takes it. Two is the smallest
 * count that contends, and already puts three busy threads on this 2-core machine, so lock holders
 * do get preempted (the port's preemption deviation, README) without drowning the measurement in
 * scheduler noise as more threads would. Each producer makes {@code nmiPercent} of its attempts in
 * NMI context, evenly spread ({@code ChannelProducer.nmiContext(true)} before the claim, false
 * after), the others normally; every attempt is one {@value #PAYLOAD}-byte record, copied once; a
 * failed attempt is a drop, followed by the bounded spin back-off every channel gets
 * ({@link ProducerBackoff}).
 *
 * <p>What each competitor is asked to do:
 * <ul>
 *   <li>BPF ring buffer (both consumer loops), for each {@code lockEra}:
 *       {@code SPINLOCK_5_8} ({@code spin_lock_irqsave}; in NMI only {@code spin_trylock}, failing
 *       whenever the lock is held) and {@code RESILIENT_6_15} (the resilient lock: NMI is not
 *       special, a reservation fails only on a 0.25 s timeout or a detected deadlock);
 *       reserve, copy, submit;</li>
 *   <li>the real kernel's ring ({@code KERNEL_RINGBUF_*}): the same records, each offered by a
 *       BPF program run with {@code BPF_PROG_TEST_RUN}; it contends on the running kernel's own
 *       lock (the resilient one since 6.15), but a test run is never in NMI context, so the flag
 *       changes nothing: run once, {@code lockEra=kernel};</li>
 *   <li>every other multi-producer competitor (the real kernel's perf buffer included: per-CPU
 *       rings, no lock): the same producer work; they have no reservation lock and no NMI
 *       context, so they ignore the flag and the era: run once, {@code lockEra=none}.</li>
 * </ul>
 * Competitors that ignore the flag run with the preset's last {@code nmiPercent} only (the share
 * changes nothing for them: they are the reference beside the ring buffer's numbers).
 * <b>Not supported:</b> {@code AGRONA_ONE_TO_ONE} (single producer: no contention possible), left
 * out by the predicate of {@link #SCENARIO}.
 *
 * <p><b>Metrics</b> (per second of the consumer's measured time, per iteration in JMH's raw data).
 * Primary score {@code contended}: records delivered to the consumer, nothing else ({@code hits},
 * the same count, beside it). Secondary: {@code sent}, {@code drops} (all failed attempts, NMI or
 * not), {@code backoffs} (one per drop), {@code nmiAttempts} (attempts made in NMI
 * context), {@code nmiDrops} (of those, the ones that failed, for any reason: lock or full ring);
 * for the ring buffer also {@code nmiFailures} ({@code ChannelCounters.nmiFailures()}: NMI
 * reservations that failed to take the lock), {@code lockContended} (acquisitions that found the
 * lock held), {@code lockBackoffs} (waiter yields and parks: where the port's preemption deviation
 * shows), {@code lockTimeouts} (resilient lock timeouts). The NMI failure rate is
 * {@code nmiFailures / nmiAttempts}: for the ring buffer the secondary metric
 * {@code nmiFailurePercent} ({@link SideMetrics}, one value per iteration from the ring's own
 * counters, the score their mean), beside {@code lockDeadlocks} (deadlocks the resilient lock
 * detected in the iteration).
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run nmi}, or through JMH directly:
 * {@code java -jar benches.jar jmh NmiScenario -p channel=BPF_RINGBUF_LIBBPF -p nmiPercent=50
 * -p lockEra=SPINLOCK_5_8,RESILIENT_6_15}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NmiScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(6, "nmi", NmiScenario.class)
            .question("How often NMI-context reservations fail under contention, per lock era, beside throughput")
            .supports(c -> c.multiProducer())
            .kinds(Scenario.allKinds())
            .param("nmiPercent", "50", "50", "1,10,50,100")
            .param("lockEra", "SPINLOCK_5_8,RESILIENT_6_15", "SPINLOCK_5_8,RESILIENT_6_15", "SPINLOCK_5_8,RESILIENT_6_15")
            // the other competitors ignore the NMI flag and have no lock era to choose (the real kernel
            // has its own lock, and its producers cannot be in NMI): one run each
            .perKind((kind, p) -> Scenario.hasReservationLock(kind) ? p : Scenario.fixValues(p, Map.of("nmiPercent",
                    Scenario.LAST, "lockEra", Scenario.isKernelRing(kind) ? "kernel" : "none")))
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
        lines("nmi", "nmi-failure-rate", "NMI-context reservations that failed to take the lock")
                .whereNot("lockEra", "none").x("nmiPercent", "attempts made in NMI context (%)")
                .variants("lockEra").order("lockEra", "SPINLOCK_5_8", "RESILIENT_6_15")
                .y("NMI reservations failed", "% of NMI attempts", jmh("nmiFailurePercent"), extra("failures", "nmiFailurePercent"),
                        ratio("nmiFailures", 100, "nmiAttempts"))
                .note("Two producers contend. 5.8 lock: an NMI reservation only tries the lock; 6.15 resilient "
                        + "lock: fails only on a timeout or a detected deadlock. The lock-free peers have no lock."),
        bars("nmi", "nmi-throughput", "Throughput with NMI-context reservations, per lock era, beside the lock-free peers")
                .atMaxOf("nmiPercent").variants("lockEra").order("lockEra", "SPINLOCK_5_8", "RESILIENT_6_15", "none")
                .yRate("records delivered", "records/s", jmh("hits"))
                .note("At the largest NMI share run; two producers, one consumer. " + JMH_ERROR));

    /** Producer threads: the smallest count that contends for the lock (see the class comment). */
    public static final int PRODUCERS = 2;
    /** Payload bytes of every record. */
    public static final int PAYLOAD = 64;

    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    @Param({"50"})
    public int nmiPercent;

    @Param({"SPINLOCK_5_8", "RESILIENT_6_15"})
    public String lockEra;

    Channel ch;
    /** The ring buffer's map, or null for competitors without one. */
    BpfRingBuf ring;
    private Arena arena;
    private Sender[] senders;
    /** {@code nmi[i % 100]}: whether a producer's attempt {@code i} is made in NMI context. */
    boolean[] nmi;
    private final Reader reader = new Reader();

    /** One producer's channel producer, position in the NMI pattern and NMI counts (used by its thread only). */
    static final class ProducerSlot {
        final Sender sender;
        final ChannelProducer producer;
        final boolean[] nmi;
        int next;
        long nmiAttempts;
        long nmiDrops;

        ProducerSlot(NmiScenario s, int index) {
            sender = s.senders[index];
            producer = sender.producer();
            nmi = s.nmi;
            next = index * 7 % DiscardScenario.PERIOD; // the producers' NMI attempts do not line up
        }

        /** One attempt: true when the record went in. */
        boolean attempt() {
            int i = next;
            next = i == DiscardScenario.PERIOD - 1 ? 0 : i + 1;
            if (!nmi[i]) {
                return sender.send();
            }
            boolean ok;
            producer.nmiContext(true);
            try {
                ok = sender.send();
            } finally {
                producer.nmiContext(false);
            }
            nmiAttempts++;
            if (!ok) {
                nmiDrops++;
            }
            return ok;
        }
    }

    /** The producers' NMI counts of the last iteration, as rates on the consumer thread. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class NmiCounters {
        public long nmiAttempts;
        public long nmiDrops;
    }

    /** The producer threads, started and stopped around each iteration; the consumer's view of the channel. */
    @State(Scope.Thread)
    public static class Parallel {
        NmiScenario s;
        Producers producers;
        ProducerSlot[] slots;
        FreeRunCounters counters;
        NmiCounters nmiCounters;
        int pending;

        @Setup(Level.Iteration)
        public void start(NmiScenario s, FreeRunCounters c, NmiCounters n) {
            this.s = s;
            counters = c;
            nmiCounters = n;
            if (producers == null) {
                slots = new ProducerSlot[PRODUCERS];
                List<Producers.Attempt> attempts = new ArrayList<>();
                for (int i = 0; i < PRODUCERS; i++) {
                    ProducerSlot slot = new ProducerSlot(s, i);
                    slots[i] = slot;
                    attempts.add(slot::attempt);
                }
                producers = Producers.freeRunning(s.ch, attempts);
            }
            for (ProducerSlot slot : slots) {
                slot.nmiAttempts = 0;
                slot.nmiDrops = 0;
            }
            producers.start("nmi-producer");
        }

        @TearDown(Level.Iteration)
        public void stop() {
            producers.stop();
            counters.producers(producers);
            long attempts = 0;
            long drops = 0;
            for (ProducerSlot slot : slots) {
                attempts += slot.nmiAttempts;
                drops += slot.nmiDrops;
            }
            nmiCounters.nmiAttempts = attempts;
            nmiCounters.nmiDrops = drops;
        }
    }

    /**
     * The ring buffer's lock counters over one iteration, as rates; set by the consumer thread when
     * the iteration ends (0 for competitors without the lock). The ring's counters are plain Java
     * fields, so they can be read even if another thread already closed the channel.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class LockCounters {
        public long nmiFailures;
        public long lockContended;
        public long lockBackoffs;
        public long lockTimeouts;
        private final LockSnapshot start = new LockSnapshot();
        private final LockSnapshot end = new LockSnapshot();

        @Setup(Level.Iteration)
        public void start(NmiScenario s) {
            start.read(s);
        }

        @TearDown(Level.Iteration)
        public void end(NmiScenario s) {
            end.read(s);
            nmiFailures = end.nmiFailures - start.nmiFailures;
            lockContended = end.contended - start.contended;
            lockBackoffs = end.backoffs - start.backoffs;
            lockTimeouts = end.timeouts - start.timeouts;
            if (s.ring != null) {
                SideMetrics.reportRatio("nmiFailurePercent", nmiFailures, end.nmiAttempts - start.nmiAttempts, 100, "%");
                SideMetrics.report("lockDeadlocks", end.deadlocks - start.deadlocks, "deadlocks");
            }
        }
    }

    /** The ring's cumulative counters at one moment (all 0 without a ring). */
    static final class LockSnapshot {
        long nmiAttempts;
        long nmiFailures;
        long contended;
        long backoffs;
        long timeouts;
        long deadlocks;

        void read(NmiScenario s) {
            BpfRingBuf r = s.ring;
            if (r == null) {
                return;
            }
            nmiAttempts = r.nmiAttempts();
            nmiFailures = s.ch.counters().nmiFailures(); // the ring's nmiFailures(), as the adapter reports it
            contended = r.lockContended();
            backoffs = r.lockBackoffs();
            timeouts = r.lockTimeouts();
            deadlocks = r.lockDeadlocks();
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        if (!channel.capabilities().multiProducer()) {
            throw new IllegalArgumentException(channel + " takes one producer: not supported");
        }
        ChannelConfig config = ChannelConfig.defaults().withProducers(PRODUCERS).withMaxRecordLength(PAYLOAD);
        boolean hasLock = channel == ChannelKind.BPF_RINGBUF_LIBBPF || channel == ChannelKind.BPF_RINGBUF_BATCHED;
        if (hasLock) {
            try {
                config = config.withLockEra(LockEra.valueOf(lockEra));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(channel + " needs lockEra SPINLOCK_5_8 or RESILIENT_6_15, not " + lockEra);
            }
        }
        nmi = DiscardScenario.pattern(nmiPercent);
        ch = channel.create(config);
        ring = ch instanceof BpfRingBufChannel b ? b.ring() : null;
        if (hasLock && (ring == null || ring.lockEra() != config.lockEra())) {
            throw new IllegalStateException("the ring buffer channel did not take lock era " + lockEra);
        }
        arena = Arena.ofShared();
        senders = new Sender[PRODUCERS];
        for (int i = 0; i < PRODUCERS; i++) {
            senders[i] = new Sender(ch, i, PAYLOAD, arena);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown(Blackhole bh) {
        bh.consume(reader.checksum());
        ch.close();
        arena.close();
    }

    /** One record delivered to the consumer (this thread). */
    @Benchmark
    public void contended(Parallel p, LockCounters lock, Control ctl) {
        while (p.pending == 0) {
            if ((p.pending = p.s.ch.poll(p.s.reader, 512)) == 0) {
                p.producers.check();
                if (ctl.stopMeasurement) {
                    return; // nothing arrived before the iteration ended: at most one such operation
                }
            }
        }
        p.pending--;
        p.counters.hits++;
    }
}
