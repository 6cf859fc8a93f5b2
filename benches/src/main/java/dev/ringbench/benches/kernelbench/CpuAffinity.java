package dev.ringbench.benches.kernelbench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code sched_setaffinity(0, ...)} for the calling thread (a Java thread is one Linux task), as
 * the kernel benchmark's {@code --prod-affinity}/{@code --cons-affinity} pin its threads.
 */
final class CpuAffinity {
    private static final int MASK_BYTES = 128; // cpu_set_t: 1024 CPUs
    private static final MethodHandle SET = Linker.nativeLinker().defaultLookup().find("sched_setaffinity")
            .map(s -> Linker.nativeLinker().downcallHandle(s, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS)))
            .orElse(null);
    private static final MethodHandle GET = Linker.nativeLinker().defaultLookup().find("sched_getaffinity")
            .map(s -> Linker.nativeLinker().downcallHandle(s, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS)))
            .orElse(null);

    private CpuAffinity() {
    }

    /** The calling thread's CPU mask, to restore later. */
    static byte[] current() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(MASK_BYTES, 8);
            if (GET == null || (int) GET.invokeExact(0, (long) MASK_BYTES, m) != 0) {
                throw new IllegalStateException("sched_getaffinity failed");
            }
            return m.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Pins the calling thread to {@code cpu}. */
    static void pin(int cpu) {
        byte[] mask = new byte[MASK_BYTES];
        mask[cpu / 8] = (byte) (1 << (cpu % 8));
        set(mask);
    }

    /** Sets the calling thread's CPU mask. */
    static void set(byte[] mask) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(MASK_BYTES, 8);
            m.copyFrom(MemorySegment.ofArray(mask));
            if (SET == null || (int) SET.invokeExact(0, (long) MASK_BYTES, m) != 0) {
                throw new IllegalStateException("sched_setaffinity failed");
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
