package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.suite.Scenario;
import dev.ringbench.benches.charts.ChartSpec;
import java.util.List;
import java.util.EnumSet;
import dev.ringbench.benches.support.FreeRunCounters;
import dev.ringbench.benches.support.ProducerBackoff;
import dev.ringbench.benches.support.Producers;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Control;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import static dev.ringbench.benches.charts.ChartSpec.bars;
import static dev.ringbench.benches.charts.ChartSpec.jmh;

/**
 * <b>Question:</b> in overwrite mode ({@code BPF_F_RB_OVERWRITE}, Linux 6.19), what does a consumer
 * get back after the producers overwrote records it had not read? (What the mode costs producers
 * is {@link OverwriteScenario}'s question.)
 *
 * <p>The BPF ring buffer port only, used directly ({@code BpfRingBuf.create(size, flags)}, 512 KiB
 * as everywhere in the suite), not through a {@code Channel}: no peer has an overwrite mode, and
 * the {@code channel} parameter (always {@code BPF_RINGBUF_LIBBPF}) only labels the results. Every
 * other competitor is outside this scenario's kinds. Records are {@code payload} bytes; commits use
 * flags 0, as the kernel benchmark does.
 *
 * <p><b>(a) Recovery</b>, {@code recover}: one thread writes {@code K = 2N + 1} records numbered by
 * sequence (the payload is the sequence number and words derived from it) into an overwrite ring
 * that holds {@code N} of them, then consumes with {@code RingBufConsumer} (libbpf's loop, reading
 * from {@code max(consumer_pos, overwrite_pos)}). Every round is checked, and a failure throws (the
 * run fails rather than report a wrong number): exactly {@code N} records recovered, the newest
 * ({@code K - N .. K - 1} of the round), contiguous, every byte intact, and
 * {@code Ring.overwrittenWhileRead()} unchanged (no producer runs while the consumer reads).
 * <b>Primary score: records recovered by the consumer per second</b> (one JMH operation is one
 * recovered record: a round's {@code K} writes and its consume are paid by the first of its
 * {@code N} operations, the work of a round is never counted in a later iteration), {@code hits}
 * the same count beside it. Secondary (per second): {@code produced}, {@code overwritten}
 * ({@code produced - hits}) and {@code rounds}.
 *
 * <p><b>(b) Recovery while producing</b>, {@code recoverConcurrent}: a producer thread the
 * scenario starts ({@link Producers#freeRunning}) writes numbered records into an overwrite ring
 * without pause (a failed reservation, possible only on a record still BUSY, is a drop followed by
 * the bounded back-off of {@link ProducerBackoff}); the consumer, the JMH thread, as an occasional
 * reader of a flight recorder would, waits until the producer has lapped the ring one and a half
 * times since its last drain (at most 50 ms), then reads one record at a time
 * ({@code consume_n(1)}, at most 2N per drain) while the producer goes on overwriting. Each record
 * read is either flagged by {@code Ring.overwrittenWhileRead()} (the producer reclaimed it during
 * the callback: its bytes may be torn) or must be intact and newer than the last one: a torn or
 * out-of-order record that was not flagged throws. <b>Primary score: records read by the consumer
 * per second</b> (one JMH operation is one record read, intact or flagged), {@code hits} the same
 * count beside it. Secondary (per second): the producer's {@code sent}, {@code drops},
 * {@code backoffs}; {@code intact}, {@code flagged}, {@code tornFlagged} (flagged records whose
 * bytes really were torn), {@code skipped} (records overwritten before the consumer reached them),
 * {@code drains}.
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run recovery}, or through JMH directly:
 * {@code java -jar benches.jar jmh 'OverwriteRecoveryScenario.recover$' -p payload=64,512} (one part;
 * the class name alone runs both).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OverwriteRecoveryScenario {
    /** The suite's entry: id, question, competitors, parameters per preset (found through JMH's benchmark list). */
    public static final Scenario SCENARIO = Scenario.define(12, "recovery", OverwriteRecoveryScenario.class)
            .question("What a consumer recovers from an overwrite-mode ring after, and while, producers overwrite it")
            .kinds(EnumSet.of(ChannelKind.BPF_RINGBUF_LIBBPF))
            .param("payload", "64", "64", "8,64,512")
            .formerlyIn("overwrite") // runs before the split (2026-11-25) saved it in overwrite.json
            .build();

    /** This scenario's charts ({@code java -jar benches.jar charts}), collected by the charts' table. */
    public static final List<ChartSpec> CHARTS = List.of(
        bars("recovery", "overwrite-recovery", "What a consumer reading while producers overwrite gets")
                .benchmark("recoverConcurrent").x(null, "records").variants("payload")
                .field("intact", jmh("intact"))
                .field("flagged", jmh("flagged"))
                .field("flagged and torn", jmh("tornFlagged"))
                .field("skipped", jmh("skipped"))
                .yRate("records", "records/s")
                .note("Intact: read whole and newer than the last; flagged: overwritten while being read; "
                        + "skipped: overwritten before the consumer reached them. Shades: payload sizes."));

    /** The suite's record memory, as every other scenario. */
    public static final int RING_BYTES = ChannelConfig.DEFAULT_CAPACITY;
    /** Multiplier of the payload's check words: word {@code w} of record {@code seq} is {@code seq * MIX + w}. */
    private static final long MIX = 0x9E37_79B9_7F4A_7C15L;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    /** (b): longest the consumer waits for the producer to lap the ring before it reads anyway. */
    private static final long LIVE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Labels the results; only the port takes part. */
    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    /** Payload bytes: a multiple of 8, at least 8 (the sequence number). */
    @Param({"64"})
    public int payload;

    // (a) recover: one thread
    private BpfRingBuf recoverRing;
    private RingBufConsumer recoverConsumer;
    private Ring recoverReader;
    private int ringHolds;
    private int perRound;
    private long roundBase;
    private long rounds;
    private long seen;
    private long firstSeen;
    private long lastSeen;
    private String badRecord;

    // (b) recoverConcurrent: a producer thread and a consumer thread
    private BpfRingBuf liveRing;
    private RingBufConsumer liveConsumer;
    private Ring liveReader;
    private long liveNextSeq;
    private long liveLastSeq = -1;
    private long liveSeq;
    private boolean liveIntact;
    private int liveLength;
    /** Flagged records read since the last intact one: they sit in the sequence gap before the next. */
    private long liveFlaggedInGap;
    /** Records the ring holds ((b) bounds each drain by twice this). */
    private int liveHolds;
    /** producer_pos when the last drain started. */
    private long liveDrainFrom;
    /** (a) as rates: records recovered by the consumer ({@code hits}), written, overwritten before it read them; rounds. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class RecoveryCounters {
        public long hits;
        public long produced;
        public long overwritten;
        public long rounds;
    }

    /** (b) the consumer's view, as rates. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class LiveCounters {
        public long intact;
        public long flagged;
        public long tornFlagged;
        public long skipped;
        public long drains;
    }

    /** Fails the trial unless the channel is the port and the payload a multiple of 8, at least 8. */
    static void check(ChannelKind channel, int payload) {
        if (channel != ChannelKind.BPF_RINGBUF_LIBBPF) {
            throw new IllegalArgumentException("overwrite mode is the BPF ring buffer's alone: " + channel + " not supported");
        }
        if (payload < 8 || payload % 8 != 0) {
            throw new IllegalArgumentException("payload must be a multiple of 8, at least 8: " + payload);
        }
    }

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        check(channel, payload);
        String b = params.getBenchmark();
        switch (b.substring(b.lastIndexOf('.') + 1)) {
            case "recover" -> {
                recoverRing = BpfRingBuf.create(RING_BYTES, BpfRingBuf.BPF_F_RB_OVERWRITE);
                recoverConsumer = RingBufConsumer.create(recoverRing, this::onRecovered, Ring.Mode.LIBBPF);
                recoverReader = recoverConsumer.ring(0);
                ringHolds = (RING_BYTES - 1) / recordBytes();
                perRound = 2 * ringHolds + 1;
            }
            case "recoverConcurrent" -> {
                liveRing = BpfRingBuf.create(RING_BYTES, BpfRingBuf.BPF_F_RB_OVERWRITE);
                liveConsumer = RingBufConsumer.create(liveRing, this::onLive, Ring.Mode.LIBBPF);
                liveReader = liveConsumer.ring(0);
                liveHolds = (RING_BYTES - 1) / recordBytes();
            }
            default -> throw new IllegalStateException("unknown benchmark " + b);
        }
    }

    /** Bytes one record takes in the ring: 8-byte header and payload, rounded up to 8. */
    int recordBytes() {
        return (payload + 8 + 7) & ~7;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (recoverRing != null) {
            recoverConsumer.close();
            recoverRing.close();
        }
        if (liveRing != null) {
            liveConsumer.close();
            liveRing.close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // numbered records

    /** Writes record {@code seq} (sequence number, then check words); false if the reservation failed. */
    private boolean writeNumbered(BpfRingBuf ring, long seq) {
        long h = ring.reserve(payload);
        if (h == 0) {
            return false;
        }
        MemorySegment area = ring.sampleArea();
        long off = ring.sampleOffset(h);
        area.set(WORD, off, seq);
        for (int w = 1; w < payload / 8; w++) {
            area.set(WORD, off + 8L * w, seq * MIX + w);
        }
        ring.submit(h, 0);
        return true;
    }

    /** Whether the record at {@code off} holds exactly what {@link #writeNumbered} wrote for {@code seq}. */
    private boolean intact(MemorySegment data, long off, int length, long seq) {
        if (length != payload) {
            return false;
        }
        for (int w = 1; w < length / 8; w++) {
            if (data.get(WORD, off + 8L * w) != seq * MIX + w) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // (a) recover

    private int onRecovered(MemorySegment data, long off, int length) {
        long seq = length >= 8 ? data.get(WORD, off) : -1;
        if (badRecord == null) {
            if (!intact(data, off, length, seq)) {
                badRecord = "record " + seq + " (length " + length + ") is not intact";
            } else if (seen > 0 && seq != lastSeen + 1) {
                badRecord = "record " + seq + " follows " + lastSeen + ": not contiguous";
            }
        }
        if (seen == 0) {
            firstSeen = seq;
        }
        lastSeen = seq;
        seen++;
        return 0;
    }

    /** (a)'s recovered records not yet returned as operations; a new iteration starts with a new round. */
    private int recoverPending;

    @Setup(Level.Iteration)
    public void startIteration() {
        recoverPending = 0;
    }

    /** One record recovered from an overwrite-mode ring. */
    @Benchmark
    public void recover(RecoveryCounters c) {
        if (recoverPending == 0) {
            recoverPending = recoverRound(c);
        }
        recoverPending--;
        c.hits++;
    }

    /** One checked round of (a): {@code K} writes, one consume; the records recovered ({@code N}). */
    private int recoverRound(RecoveryCounters c) {
        long base = roundBase;
        for (int i = 0; i < perRound; i++) {
            if (!writeNumbered(recoverRing, base + i)) {
                throw new IllegalStateException("overwrite-mode reservation " + i + " failed with one producer");
            }
        }
        roundBase = base + perRound;
        long flaggedBefore = recoverReader.overwrittenWhileRead();
        seen = 0;
        badRecord = null;
        int n = recoverReader.consume();
        long newest = base + perRound - 1;
        if (n < 0 || badRecord != null || n != seen || seen != ringHolds || lastSeen != newest
                || firstSeen != newest - ringHolds + 1 || recoverReader.overwrittenWhileRead() != flaggedBefore) {
            throw new IllegalStateException(String.format("overwrite recovery wrong in round %d: consume returned %d, "
                            + "callback saw %d records %d..%d; expected the newest %d records %d..%d, contiguous and intact, "
                            + "none overwritten while read (overwrittenWhileRead +%d)%s",
                    rounds, n, seen, firstSeen - base, lastSeen - base, ringHolds, perRound - ringHolds, perRound - 1,
                    recoverReader.overwrittenWhileRead() - flaggedBefore, badRecord == null ? "" : "; " + badRecord));
        }
        rounds++;
        c.rounds++;
        c.produced += perRound;
        c.overwritten += perRound - seen;
        return (int) seen;
    }

    // ---------------------------------------------------------------------------------------------
    // (b) recoverConcurrent

    private int onLive(MemorySegment data, long off, int length) {
        liveLength = length;
        liveSeq = length >= 8 ? data.get(WORD, off) : -1;
        liveIntact = intact(data, off, length, liveSeq);
        return 0;
    }

    /** (b)'s producer thread and the consumer's drain state; started and stopped around each iteration. */
    @State(Scope.Thread)
    public static class Live {
        OverwriteRecoveryScenario s;
        Producers producers;
        FreeRunCounters counters;
        LiveCounters live;
        /** Records the current drain may still read. */
        int budget;

        @Setup(Level.Iteration)
        public void start(OverwriteRecoveryScenario s, FreeRunCounters c, LiveCounters l) {
            this.s = s;
            counters = c;
            live = l;
            if (producers == null) {
                producers = Producers.freeRunning(() -> { }, List.of(s::liveProduce)); // the consumer never blocks
            }
            producers.start("recovery-producer");
        }

        @TearDown(Level.Iteration)
        public void stop() {
            producers.stop();
            counters.producers(producers);
        }
    }

    /** (b)'s producer: one numbered record; false if the reservation failed. */
    boolean liveProduce() {
        if (writeNumbered(liveRing, liveNextSeq)) {
            liveNextSeq++;
            return true;
        }
        return false;
    }

    /** One record read by the consumer (this thread), intact or flagged. */
    @Benchmark
    public void recoverConcurrent(Live p, Control ctl) {
        OverwriteRecoveryScenario s = p.s;
        while (true) {
            if (p.budget == 0) {
                s.awaitLap();
                p.producers.check();
                p.live.drains++;
                p.budget = 2 * s.liveHolds; // bounded: the producer may outrun the reader forever
            }
            if (s.readOneLive(p.counters, p.live)) {
                p.budget--;
                return;
            }
            p.budget = 0; // nothing left: the next drain
            if (ctl.stopMeasurement) {
                return; // nothing arrived before the iteration ended: at most one such operation
            }
        }
    }

    /** Lets the producer lap the ring one and a half times since the last drain (bounded wait). */
    private void awaitLap() {
        long target = liveDrainFrom + RING_BYTES + RING_BYTES / 2;
        long deadline = 0;
        for (int spins = 1; liveReader.producerPos() - target < 0; spins++) {
            if ((spins & 1023) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + LIVE_WAIT_NANOS;
            } else if (now - deadline > 0) {
                break; // the producer is starved: read what there is
            }
            Thread.yield();
        }
        liveDrainFrom = liveReader.producerPos();
    }

    /** Reads one record of (b) and checks it; false when none was available. */
    private boolean readOneLive(FreeRunCounters hits, LiveCounters c) {
        long flaggedBefore = liveReader.overwrittenWhileRead();
        int n = liveReader.consumeN(1);
        if (n == 0) {
            return false;
        }
        if (n != 1) {
            throw new IllegalStateException("consume_n(1) returned " + n);
        }
        hits.hits++;
        if (liveReader.overwrittenWhileRead() != flaggedBefore) {
            c.flagged++;
            if (!liveIntact) {
                c.tornFlagged++;
            }
            liveFlaggedInGap++;
            return true;
        }
        if (!liveIntact || liveSeq <= liveLastSeq) {
            throw new IllegalStateException(String.format("record %d (length %d) was read %s, after %d, and not flagged "
                            + "by overwrittenWhileRead", liveSeq, liveLength, liveIntact ? "out of order" : "torn",
                    liveLastSeq));
        }
        long skipped = liveSeq - liveLastSeq - 1 - liveFlaggedInGap;
        c.intact++;
        c.skipped += skipped;
        liveFlaggedInGap = 0;
        liveLastSeq = liveSeq;
        return true;
    }
}
