package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Fuzzes the user ring's drain ({@code bpf_user_ringbuf_drain}), the kernel side that must trust
 * nothing the user-space producer wrote: producer_pos and every byte of the data area come from
 * the input, consumer_pos is any aligned value the kernel itself could have reached.
 *
 * <p>Each input is checked against a reference model of the kernel's drain written from spec
 * section 9 over a copy of the same bytes: the same return value (the sample count, or the
 * kernel's errno: -EINVAL for a misaligned producer_pos, a record reaching past it or unknown
 * flags; -E2BIG for a record larger than the ring or a payload above 2^24 - 1), the same samples
 * handed to the callback (offset, length, bytes), the same consumer_pos afterwards. Every sample
 * must be a read-only slice inside the ring's double-mapped data area, readable end to end. Any
 * exception is a finding; the sample cap (131072) bounds every call.
 *
 * <p>{@code mvn test} replays the committed corpus in {@code UserRingDrainFuzzTestInputs/drain};
 * {@code scripts/fuzz.sh} fuzzes ({@code JAZZER_FUZZ=1}).
 *
 * <p>Input layout (little-endian, missing bytes read as 0): [0] how producer_pos is derived,
 * [1..5) consumer_pos / 8, [5..13) producer_pos material, [13] drain flags (values 4..7 are
 * invalid on purpose), [14] callback returns 1 after this many samples (0: never), [15..) data
 * bytes, written from consumer_pos's offset on, wrapping; the rest of the ring holds 0xFF.
 */
class UserRingDrainFuzzTest {
    static final long SIZE = 4096;
    static final long MASK = SIZE - 1;
    private static final UserRingBuf RING = UserRingBuf.create(SIZE);

    /** The ring's bytes as the input left them, twice back to back (as the double mapping shows them). */
    private static final byte[] SNAPSHOT = new byte[(int) (2 * SIZE)];
    private static final MemorySegment SNAPSHOT_SEG = MemorySegment.ofArray(SNAPSHOT);
    /** Samples the model expects and the drain delivered: offset and length, reused across inputs. */
    private static final Samples WANT = new Samples();
    private static final Samples GOT = new Samples();

    /** (offset, length) pairs in two growing arrays: no object per sample. */
    static final class Samples {
        long[] off = new long[256];
        int[] len = new int[256];
        int n;

        void add(long o, int l) {
            if (n == off.length) {
                off = java.util.Arrays.copyOf(off, 2 * n);
                len = java.util.Arrays.copyOf(len, 2 * n);
            }
            off[n] = o;
            len[n] = l;
            n++;
        }

        boolean sameAs(Samples o) {
            return n == o.n && java.util.Arrays.equals(off, 0, n, o.off, 0, n) && java.util.Arrays.equals(len, 0, n, o.len, 0, n);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void drain(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(Objects.requireNonNull(input)).order(ByteOrder.LITTLE_ENDIAN);
        int how = u8(in, 0);
        long cons = 8L * (u32(in, 1));
        long material = u64(in, 5);
        long prod = switch (how % 8) {
            case 0 -> cons + (material & 0xFFFF);                  // any alignment, near
            case 1 -> cons + 8 * (material & 0xFF);                // aligned, near
            case 2 -> material;                                     // anything at all
            case 3 -> cons - 8 * (material & 0xFF);                 // behind the consumer
            case 4 -> cons + 8 * (material & 0x3FFFF);              // far ahead, many laps
            default -> cons + 8 * (material & 0x3FF);               // aligned, within ~2 rings
        };
        long flags = u8(in, 13) & 7;
        int stopAfter = u8(in, 14);

        // The ring as the producer left it. Bytes the input does not give are 0xFF: a header no
        // producer writes (a length beyond any ring), so a drain cannot run lap after lap over
        // an empty ring of 8-byte records, 131072 callbacks per input (the cap has its own test,
        // UserRingBufSpecTest.drainCapsAt131072Samples); such inputs made fuzzing crawl.
        java.util.Arrays.fill(SNAPSHOT, 0, (int) SIZE, (byte) 0xFF);
        for (int i = 15; i < input.length && i - 15 < SIZE; i++) {
            SNAPSHOT[(int) ((cons + i - 15) & MASK)] = input[i];
        }
        System.arraycopy(SNAPSHOT, 0, SNAPSHOT, (int) SIZE, (int) SIZE);
        MemorySegment data = RING.data();
        MemorySegment.copy(SNAPSHOT_SEG, 0, data, 0, SIZE);
        RING.consumerPageRw().set(JAVA_LONG, RingBufDescriptor.CONSUMER_POS_OFFSET, cons);
        RING.producerPage().set(JAVA_LONG, RingBufDescriptor.PRODUCER_POS_OFFSET, prod);

        // What the kernel does with it.
        WANT.n = 0;
        long[] wantCons = {cons};
        long wantRet = model(SNAPSHOT, cons, prod, flags, stopAfter, WANT, wantCons);

        GOT.n = 0;
        long base = data.address();
        long ret = RING.drain((MemorySegment s) -> {
            if (!s.isReadOnly()) {
                throw new AssertionError("sample is writable");
            }
            long off = s.address() - base;
            if (off < 0 || off + s.byteSize() > 2 * SIZE || s.byteSize() > SIZE - 8) {
                throw new AssertionError("sample [" + off + ", +" + s.byteSize() + ") outside the data area");
            }
            // every byte as the producer left it (one JDK mismatch call, not a loop in this class)
            if (MemorySegment.mismatch(s, 0, s.byteSize(), SNAPSHOT_SEG, off, off + s.byteSize()) != -1) {
                throw new AssertionError("sample at " + off + " does not hold the producer's bytes");
            }
            GOT.add(off, (int) s.byteSize());
            return stopAfter != 0 && GOT.n >= stopAfter ? 1 : 0;
        }, flags);

        long consAfter = RING.consumerPage().get(JAVA_LONG, RingBufDescriptor.CONSUMER_POS_OFFSET);
        boolean same = GOT.sameAs(WANT);
        if (ret != wantRet || consAfter != wantCons[0] || !same || RING.drainBusy()) {
            throw new AssertionError("drain differs from the kernel's: cons=" + cons + " prod=" + prod
                    + " flags=" + flags + " stopAfter=" + stopAfter + ": returned " + ret + " (kernel " + wantRet
                    + "), consumer_pos " + consAfter + " (kernel " + wantCons[0] + "), " + GOT.n
                    + " samples (kernel " + WANT.n + ")" + (same ? "" : ", samples differ")
                    + (RING.drainBusy() ? ", busy flag left set" : ""));
        }
    }

    /**
     * {@code bpf_user_ringbuf_drain} and {@code __bpf_user_ringbuf_peek} from spec section 9, over
     * a plain array (no mapping, no port code): the oracle.
     */
    static long model(byte[] ring, long cons, long prod, long flags, int stopAfter, Samples out,
                      long[] consOut) {
        if ((flags & ~3L) != 0) {
            return Errno.EINVAL;
        }
        long samples = 0;
        long discarded = 0;
        long ret = 0;
        for (; samples < UserRingBuf.BPF_MAX_USER_RINGBUF_SAMPLES && ret == 0; samples++) {
            if ((prod & 7) != 0) {
                return Errno.EINVAL;
            }
            if (Long.compareUnsigned(cons, prod) >= 0) {
                break;
            }
            long hdr = u32le(ring, cons & MASK);
            boolean busy = (hdr & 0x8000_0000L) != 0;
            boolean discard = (hdr & 0x4000_0000L) != 0;
            long len = hdr & 0x3FFF_FFFFL;
            long total = (len + 8 + 7) & ~7L;
            if (Long.compareUnsigned(total, prod - cons) > 0) {
                return Errno.EINVAL;
            }
            if (total > SIZE) {
                return Errno.E2BIG;
            }
            if (len > (1L << 24) - 1) {
                return Errno.E2BIG;
            }
            if (discard) {
                cons += total;
                consOut[0] = cons;
                discarded++;
                continue;
            }
            if (busy) {
                break;
            }
            long off = (cons + 8) & MASK;
            out.add(off, (int) len);
            ret = stopAfter != 0 && out.n >= stopAfter ? 1 : 0;
            cons += total;
            consOut[0] = cons;
        }
        return samples - discarded;
    }

    private static long u32le(byte[] a, long off) {
        return Integer.toUnsignedLong((int) INT_LE.get(a, (int) (off & MASK)));
    }

    private static final java.lang.invoke.VarHandle INT_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    static int u8(ByteBuffer b, int at) {
        return at < b.limit() ? b.get(at) & 0xFF : 0;
    }

    static long u32(ByteBuffer b, int at) {
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            v = (v << 8) | u8(b, at + i);
        }
        return v;
    }

    static long u64(ByteBuffer b, int at) {
        return u32(b, at) | (u32(b, at + 4) << 32);
    }
}
