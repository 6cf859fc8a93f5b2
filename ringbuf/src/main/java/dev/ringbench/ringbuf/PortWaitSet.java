package dev.ringbench.ringbuf;

import dev.ringbench.os.Errno;
import dev.ringbench.os.PollWaiter;
import dev.ringbench.os.WakeMechanism;
import java.util.function.IntSupplier;

/** The port's wait set: one {@link PollWaiter} registered on the {@link WaitQueue} of every port ring. */
final class PortWaitSet implements RingWaitSet {
    private final PollWaiter waiter;

    PortWaitSet(WakeMechanism mechanism) {
        this.waiter = new PollWaiter(mechanism);
    }

    @Override
    public int add(RingSource ring) {
        if (!(ring instanceof BpfRingBuf port)) {
            return Errno.EINVAL; // one consumer waits on port rings or on kernel rings, not both
        }
        port.waitQueue().add(waiter);
        return 0;
    }

    @Override
    public void remove(RingSource ring) {
        if (ring instanceof BpfRingBuf port) {
            port.waitQueue().remove(waiter);
        }
    }

    @Override
    public int await(IntSupplier ready, int timeoutMs) {
        return waiter.await(ready, timeoutMs);
    }

    @Override
    public long wakeups() {
        return waiter.wakeups();
    }

    @Override
    public void close() {
        waiter.close();
    }
}
