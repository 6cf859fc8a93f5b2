package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import dev.ringbench.benches.support.AwaitedRecords;
import dev.ringbench.benches.support.Delivered;
import dev.ringbench.benches.support.BackgroundThreads;
import dev.ringbench.benches.support.ProducerCounters;
import dev.ringbench.benches.support.SideMetrics;
import dev.ringbench.benches.support.Sender;
import dev.ringbench.competitors.Channel;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.competitors.RecordHandler;
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
import org.openjdk.jmh.infra.IterationParams;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.ringbench.benches.charts.ChartSpec.bars;
import static dev.ringbench.benches.charts.ChartSpec.jmh;
import static dev.ringbench.benches.charts.ChartSpec.extra;

/**
 * <b>Question:</b> when events happen one after another on different producers (a task that
 * moves between CPUs, a request handed from one thread to the next), how often does the consumer
 * see them out of order?
 *
 * <p><b>Workload.</b> {@code producers} threads pass a ticket along a chain: a global ticket
 * counter says whose turn it is (ticket {@code t} belongs to producer {@code t % producers}); the
 * producer whose turn it is writes {@code t} into a record of {@value #PAYLOAD} bytes, sends it
 * ({@link Sender}: reserve-copy-commit or copy-in), and only when the send has returned
 * publishes {@code t + 1} (a release store; the next producer waits for it with a spin, then
 * yield, then short-park back-off). So ticket {@code t} is always sent <em>after</em> ticket
 * {@code t - 1}, on another thread. A full channel drops the ticket (counted; the chain goes on,
 * and the gap is not an inversion). The consumer is the JMH thread: {@link Channel#await} under
 * the channel's own wait strategy (10 ms bound where honoured; the chain runs for the whole
 * measured loop), and each delivered record whose ticket is lower than the highest ticket
 * delivered before it counts as <em>out of order</em>; its distance below that highest ticket is
 * the displacement. Every competitor is asked for this with 512 KiB of record memory.
 *
 * <p><b>Expected.</b> Channels that deliver in reservation order ({@code globalOrder}: the BPF
 * ring buffer port and the kernel's ring map, the Disruptor, JCTools, Agrona many-to-one) show 0:
 * a non-zero count there is a bug. The perf-buffer analogue reads one ring per producer, and the
 * kernel's perf buffer one ring per CPU (producer {@code i} writes on CPU {@code i % cpus}), ring
 * after ring, so whenever more than one ring holds records at a wake-up they deliver them out of
 * order (how often depends on how far the consumer lags behind the chain). The single-producer Agrona ring cannot take part ("not
 * supported": it rejects a second producer).
 *
 * <p><b>Results.</b> The primary score ({@code consume}) is <em>records delivered to the consumer
 * per second</em>: one JMH operation is one delivered record (an await that returns {@code n}
 * records counts {@code n}). Rates beside it (OPERATIONS): {@code hits} (the same count), {@code sent},
 * {@code drops}. Secondary
 * metrics, one value per iteration ({@link SideMetrics}, the score their mean):
 * {@code outOfOrder} (count), {@code outOfOrderFraction} (out of order / delivered),
 * {@code maxDisplacement} (tickets) and {@code delivered} (records checked in the iteration,
 * including those drained after its measured loop).
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run ordering}, or
 * {@code java -jar benches.jar jmh OrderingScenario -p channel=PERFBUF -p producers=2}.
 */
@State(Scope.Thread) // one JMH thread: the consumer
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OrderingScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(10, "ordering", OrderingScenario.class)
            .question("How often the consumer sees events produced in sequence on different producers out of order")
            .supports(c -> c.multiProducer())
            .kinds(Scenario.twoDisruptorStrategies())
            .param("producers", "2", "2", "2,4")
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
        bars("ordering", "ordering-out-of-order", "Events produced in sequence on different producers, seen out of order")
                .x("producers", "producers in the chain")
                .y("records delivered out of order", "% of delivered", jmh("outOfOrderFraction", 100),
                        extra("out-of-order", "outOfOrderFraction", 100))
                .note("A ticket passes from producer to producer; a record with a lower ticket than one delivered "
                        + "before it is out of order. Channels with a global order must show 0."),
        bars("ordering", "ordering-displacement", "Largest displacement of an out-of-order record")
                .x("producers", "producers in the chain")
                .y("largest displacement", "tickets", jmh("maxDisplacement"), extra("out-of-order", "maxDisplacement"))
                .note("How far below the highest ticket delivered before it an out-of-order record arrived."));

    public static final String ID = "ordering";
    public static final int PAYLOAD = 64;
    static final long AWAIT_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(10);

    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    /** Producer threads in the chain (background threads: not the runner's producer sweep). */
    @Param({"2"})
    public int producers;

    private Channel ch;
    private Arena arena;
    private Sender[] senders;
    private BackgroundThreads threads;
    private final AtomicLong turn = new AtomicLong();
    private ChainLink[] links;
    private final OrderChecker checker = new OrderChecker();
    /** The consumer's records, one per operation. */
    private AwaitedRecords records;

    @Setup(Level.Trial)
    public void setup() {
        ch = channel.create(ChannelConfig.defaults().withProducers(producers).withMaxRecordLength(PAYLOAD));
        arena = Arena.ofShared();
        senders = new Sender[producers];
        for (int i = 0; i < producers; i++) {
            senders[i] = new Sender(ch, i, PAYLOAD, arena);
        }
        threads = new BackgroundThreads(ch);
        records = new AwaitedRecords(ch, checker, AWAIT_TIMEOUT_NS, threads, channel.name());
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams ip) {
        checker.resetIteration();
        records.restart(); // an iteration's operations are its own records
        links = new ChainLink[producers];
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < producers; i++) {
            links[i] = new ChainLink(senders[i], i, producers, turn, threads);
            tasks.add(links[i]);
        }
        threads.start("ordering-producer", tasks);
    }

    @TearDown(Level.Iteration)
    public void endIteration(ProducerCounters pc) {
        threads.stop();
        while (ch.poll(checker, 4096) > 0) {
            // records sent after the consumer's last await: checked too, they belong to this iteration
        }
        long sent = 0;
        long drops = 0;
        for (ChainLink l : links) {
            sent += l.sent;
            drops += l.drops;
        }
        pc.sent = sent;
        pc.drops = drops;
        SideMetrics.report("outOfOrder", checker.outOfOrder, "records");
        SideMetrics.report("maxDisplacement", checker.maxDisplacement, "tickets");
        SideMetrics.report("outOfOrderFraction", checker.delivered == 0 ? 0 : (double) checker.outOfOrder / checker.delivered, "fraction");
        SideMetrics.report("delivered", checker.delivered, "records");
    }

    @TearDown(Level.Trial)
    public void tearDown(Blackhole bh) {
        bh.consume(checker.highest);
        ch.shutdown();
        ch.close();
        arena.close();
    }

    /** One record delivered to the consumer (and checked). */
    @Benchmark
    public void consume(Delivered d) {
        records.next();
        d.hits++;
    }

    /** Counts tickets delivered below the highest ticket delivered before them. */
    static final class OrderChecker implements RecordHandler {
        long highest = -1;
        long delivered;
        long outOfOrder;
        long maxDisplacement;

        void resetIteration() {
            delivered = 0;
            outOfOrder = 0;
            maxDisplacement = 0;
        }

        @Override
        public void onRecord(MemorySegment data, long offset, int length) {
            long t = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
            delivered++;
            if (t < highest) {
                outOfOrder++;
                if (highest - t > maxDisplacement) {
                    maxDisplacement = highest - t;
                }
            } else {
                highest = t;
            }
        }
    }

    /** One producer of the chain: sends ticket t when t % producers is its index, then passes on. */
    static final class ChainLink implements Runnable {
        private final Sender sender;
        private final int index;
        private final int producers;
        private final AtomicLong turn;
        private final BackgroundThreads control;
        long sent;
        long drops;

        ChainLink(Sender sender, int index, int producers, AtomicLong turn, BackgroundThreads control) {
            this.sender = sender;
            this.index = index;
            this.producers = producers;
            this.turn = turn;
            this.control = control;
        }

        @Override
        public void run() {
            MemorySegment src = sender.source();
            long s = 0;
            long d = 0;
            int idle = 0;
            while (true) {
                long t = turn.getAcquire(); // pairs with the previous link's setRelease
                if (t % producers != index) {
                    if ((idle & 63) == 0 && !control.running()) {
                        break;
                    }
                    BackgroundThreads.backoff(idle++);
                    continue;
                }
                idle = 0;
                src.set(ValueLayout.JAVA_LONG, 0, t);
                if (sender.send()) {
                    s++;
                } else {
                    d++;
                }
                turn.setRelease(t + 1); // only after the send returned
                if (!control.running()) {
                    break;
                }
            }
            sent = s;
            drops = d;
        }
    }
}
