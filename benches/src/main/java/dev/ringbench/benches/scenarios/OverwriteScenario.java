package dev.ringbench.benches.scenarios;

import dev.ringbench.benches.support.ConsumerCounters;
import dev.ringbench.benches.support.ExtraResults;
import dev.ringbench.benches.support.ProducerCounters;
import dev.ringbench.competitors.ChannelConfig;
import dev.ringbench.competitors.ChannelKind;
import dev.ringbench.ringbuf.BpfRingBuf;
import dev.ringbench.ringbuf.Ring;
import dev.ringbench.ringbuf.RingBufConsumer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * <b>Question:</b> what does overwrite mode ({@code BPF_F_RB_OVERWRITE}, Linux 6.19) cost producers,
 * and what does a consumer get back after the producers overwrote records it had not read?
 *
 * <p>The BPF ring buffer port only, used directly ({@code BpfRingBuf.create(size, flags)}, 512 KiB
 * as everywhere in the suite), not through a {@code Channel}: no peer has an overwrite mode, and
 * the {@code channel} parameter (always {@code BPF_RINGBUF_LIBBPF}) only labels the results. Every
 * other competitor is outside this scenario's kinds. Records are {@code payload} bytes; commits use
 * flags 0, as the kernel benchmark does.
 *
 * <p><b>(a) Producer-only throughput</b>, the kernel benchmark's overwrite mode: no consumer runs.
 * <ul>
 *   <li>{@code overwrite1}, {@code overwrite2}: 1 and 2 producer threads reserve, copy the payload
 *       from a prepared source, submit, into an overwrite-mode ring: once it is full each
 *       reservation first moves {@code overwrite_pos} past the oldest records;</li>
 *   <li>{@code normal1}, {@code normal2}: the same into a normal ring, where nothing consumes: once
 *       it is full every reservation fails and counts as a drop (what a normal ring does to the
 *       newest data, against what overwrite mode does to the oldest).</li>
 * </ul>
 * Metrics (ops/s): {@code sent}, {@code drops}. In overwrite mode drops only happen when a
 * producer preempted between reserve and submit holds its record BUSY and the ring wraps up to it
 * (README, "A preempted producer holds its record").
 *
 * <p><b>(b) Recovery</b>, {@code recover}: one thread writes {@code K = 2N + 1} records numbered by
 * sequence (the payload is the sequence number and words derived from it) into an overwrite ring
 * that holds {@code N} of them, then consumes with {@code RingBufConsumer} (libbpf's loop, reading
 * from {@code max(consumer_pos, overwrite_pos)}). Every round is checked, and a failure throws (the
 * run fails rather than report a wrong number): exactly {@code N} records recovered, the newest
 * ({@code K - N .. K - 1} of the round), contiguous, every byte intact, and
 * {@code Ring.overwrittenWhileRead()} unchanged (no producer runs while the consumer reads).
 * Metrics (ops/s): {@code produced}, {@code recovered}, {@code overwritten} ({@code produced -
 * recovered}); the score is rounds per second.
 *
 * <p><b>(c) Recovery while producing</b>, {@code recoverConcurrent}: a producer thread writes
 * numbered records into an overwrite ring without pause; the consumer thread, as an occasional
 * reader of a flight recorder would, waits until the producer has lapped the ring one and a half
 * times since its last drain (at most 50 ms), then reads one record at a time
 * ({@code consume_n(1)}, at most 2N per drain) while the producer goes on overwriting. Each record
 * read is either flagged by {@code Ring.overwrittenWhileRead()} (the producer reclaimed it during
 * the callback: its bytes may be torn) or must be intact and newer than the last one: a torn or
 * out-of-order record that was not flagged throws. Metrics (ops/s): {@code sent}, {@code drops},
 * {@code hits} (records read), {@code intact}, {@code flagged}, {@code tornFlagged} (flagged
 * records whose bytes really were torn), {@code skipped} (records overwritten before the consumer
 * reached them), {@code drains}; the score counts producer calls and drains together.
 *
 * <p>Extra file {@code <out>/overwrite-recovery.json}, keyed by benchmark and parameters, plain
 * numbers: for {@code recover} the ring's bytes, record bytes, {@code ringHoldsRecords} (N),
 * {@code producedPerRound} (K), {@code rounds}, {@code recoveredPerRound},
 * {@code oldestSeq}/{@code newestSeq} (within a round, 0-based), {@code contiguous} and
 * {@code intact} (1: every round passed), {@code overwrittenWhileRead}; for
 * {@code recoverConcurrent} the trial's totals of the counters above and
 * {@code overwrittenWhileRead}.
 *
 * <p><b>Run:</b> {@code java -jar benches.jar run overwrite}, or through JMH directly:
 * {@code java -jar benches.jar jmh 'OverwriteScenario.recover$' -p payload=64,512} (one part; the
 * class name alone runs all six).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OverwriteScenario {
    /** The suite's record memory, as every other scenario. */
    public static final int RING_BYTES = ChannelConfig.DEFAULT_CAPACITY;
    /** Multiplier of the payload's check words: word {@code w} of record {@code seq} is {@code seq * MIX + w}. */
    private static final long MIX = 0x9E37_79B9_7F4A_7C15L;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    /** (c): longest the consumer waits for the producer to lap the ring before it reads anyway. */
    private static final long LIVE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Labels the results; only the port takes part. */
    @Param({"BPF_RINGBUF_LIBBPF"})
    public ChannelKind channel;

    /** Payload bytes: a multiple of 8, at least 8 (the sequence number). */
    @Param({"64"})
    public int payload;

    private String benchmark;
    private BpfRingBuf overwriteRing;
    private BpfRingBuf normalRing;
    private Arena arena;

    // (b) recover: one thread
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

    // (c) recoverConcurrent: a producer thread and a consumer thread
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
    /** Records the ring holds ((c) bounds each drain by twice this). */
    private int liveHolds;
    /** producer_pos when the last drain started. */
    private long liveDrainFrom;
    /** The consumer's counters over the whole trial, warm-up included, for the extra file. */
    private final LiveCounters liveTotals = new LiveCounters();

    /** One producer thread's prepared payload (the throughput groups). */
    @State(Scope.Thread)
    public static class Source {
        MemorySegment bytes;
        private Arena arena;

        @Setup(Level.Trial)
        public void setup(OverwriteScenario s) {
            arena = Arena.ofShared();
            bytes = arena.allocate(s.payload, 8);
            for (int i = 0; i < s.payload; i++) {
                bytes.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** (b) as rates: records written, recovered by the consumer, and overwritten before it read them. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class RecoveryCounters {
        public long produced;
        public long recovered;
        public long overwritten;
    }

    /** (c) the consumer's view, as rates. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class LiveCounters {
        public long intact;
        public long flagged;
        public long tornFlagged;
        public long skipped;
        public long drains;
    }

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        if (channel != ChannelKind.BPF_RINGBUF_LIBBPF) {
            throw new IllegalArgumentException("overwrite mode is the BPF ring buffer's alone: " + channel + " not supported");
        }
        if (payload < 8 || payload % 8 != 0) {
            throw new IllegalArgumentException("payload must be a multiple of 8, at least 8: " + payload);
        }
        String b = params.getBenchmark();
        benchmark = b.substring(b.lastIndexOf('.') + 1);
        switch (benchmark) {
            case "overwrite1", "overwrite2" -> overwriteRing = BpfRingBuf.create(RING_BYTES, BpfRingBuf.BPF_F_RB_OVERWRITE);
            case "normal1", "normal2" -> normalRing = BpfRingBuf.create(RING_BYTES);
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
    public void tearDown(BenchmarkParams params) {
        Map<String, String> key = new LinkedHashMap<>();
        key.put("benchmark", benchmark);
        key.putAll(ExtraResults.params(params));
        Map<String, Number> v = new LinkedHashMap<>();
        if (recoverRing != null) {
            v.put("ringBytes", RING_BYTES);
            v.put("recordBytes", recordBytes());
            v.put("ringHoldsRecords", ringHolds);
            v.put("producedPerRound", perRound);
            v.put("rounds", rounds);
            v.put("recoveredPerRound", rounds == 0 ? 0 : seen);
            v.put("oldestSeq", rounds == 0 ? -1 : firstSeen - (roundBase - perRound));
            v.put("newestSeq", rounds == 0 ? -1 : lastSeen - (roundBase - perRound));
            v.put("contiguous", rounds == 0 ? 0 : 1); // every round was checked; a failure threw
            v.put("intact", rounds == 0 ? 0 : 1);
            v.put("overwrittenWhileRead", recoverReader.overwrittenWhileRead());
            recoverConsumer.close();
            recoverRing.close();
        }
        if (liveRing != null) {
            v.put("ringBytes", RING_BYTES);
            v.put("recordBytes", recordBytes());
            v.put("produced", liveNextSeq);
            v.put("intact", liveTotals.intact);
            v.put("flagged", liveTotals.flagged);
            v.put("tornFlagged", liveTotals.tornFlagged);
            v.put("skipped", liveTotals.skipped);
            v.put("drains", liveTotals.drains);
            v.put("overwrittenWhileRead", liveReader.overwrittenWhileRead());
            liveConsumer.close();
            liveRing.close();
        }
        if (!v.isEmpty()) {
            ExtraResults.put("overwrite", "recovery", key, v);
        }
        if (overwriteRing != null) {
            overwriteRing.close();
        }
        if (normalRing != null) {
            normalRing.close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // (a) producer-only throughput

    private void produce(BpfRingBuf ring, Source s, ProducerCounters c) {
        long h = ring.reserve(payload);
        if (h == 0) {
            c.drops++;
            return;
        }
        MemorySegment.copy(s.bytes, 0, ring.sampleArea(), ring.sampleOffset(h), payload);
        ring.submit(h, 0);
        c.sent++;
    }

    @Benchmark
    @Group("overwrite1")
    @GroupThreads(1)
    public void overwrite1(Source s, ProducerCounters c) {
        produce(overwriteRing, s, c);
    }

    @Benchmark
    @Group("overwrite2")
    @GroupThreads(2)
    public void overwrite2(Source s, ProducerCounters c) {
        produce(overwriteRing, s, c);
    }

    @Benchmark
    @Group("normal1")
    @GroupThreads(1)
    public void normal1(Source s, ProducerCounters c) {
        produce(normalRing, s, c);
    }

    @Benchmark
    @Group("normal2")
    @GroupThreads(2)
    public void normal2(Source s, ProducerCounters c) {
        produce(normalRing, s, c);
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
    // (b) recover

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

    @Benchmark
    @Group("recover")
    @GroupThreads(1)
    public void recover(RecoveryCounters c) {
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
        c.produced += perRound;
        c.recovered += seen;
        c.overwritten += perRound - seen;
    }

    // ---------------------------------------------------------------------------------------------
    // (c) recoverConcurrent

    private int onLive(MemorySegment data, long off, int length) {
        liveLength = length;
        liveSeq = length >= 8 ? data.get(WORD, off) : -1;
        liveIntact = intact(data, off, length, liveSeq);
        return 0;
    }

    @Benchmark
    @Group("recoverConcurrent")
    @GroupThreads(1)
    public void liveProduce(ProducerCounters c) {
        if (writeNumbered(liveRing, liveNextSeq)) {
            liveNextSeq++;
            c.sent++;
        } else {
            c.drops++;
        }
    }

    @Benchmark
    @Group("recoverConcurrent")
    @GroupThreads(1)
    public void liveConsume(ConsumerCounters hits, LiveCounters c) {
        // Let the producer lap the ring one and a half times (bounded wait), then read while it goes on.
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
                break; // the producer has stopped (end of the iteration) or is starved: read what there is
            }
            Thread.yield();
        }
        liveDrainFrom = liveReader.producerPos();
        c.drains++;
        liveTotals.drains++;
        for (int i = 0; i < 2 * liveHolds; i++) { // bounded: the producer may outrun the reader forever
            if (!readOneLive(hits, c)) {
                return;
            }
        }
    }

    /** Reads one record of (c) and checks it; false when none was available. */
    private boolean readOneLive(ConsumerCounters hits, LiveCounters c) {
        long flaggedBefore = liveReader.overwrittenWhileRead();
        int n = liveReader.consumeN(1);
        if (n == 0) {
            return false;
        }
        if (n != 1) {
            throw new IllegalStateException("consume_n(1) returned " + n);
        }
        hits.hits++;
        LiveCounters t = liveTotals;
        if (liveReader.overwrittenWhileRead() != flaggedBefore) {
            c.flagged++;
            t.flagged++;
            if (!liveIntact) {
                c.tornFlagged++;
                t.tornFlagged++;
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
        t.intact++;
        c.skipped += skipped;
        t.skipped += skipped;
        liveFlaggedInGap = 0;
        liveLastSeq = liveSeq;
        return true;
    }
}
