package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OutboundQueuesTest {
    private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met");
            Thread.sleep(5);
        }
    }

    @Test
    void aDestinationThatBlocksFillsOnlyItsOwnQueueAndOthersKeepFlowing() throws Exception {
        Address slow = UUID.randomUUID();
        Address fast = UUID.randomUUID();
        CountDownLatch unblock = new CountDownLatch(1);
        List<byte[]> toFast = new CopyOnWriteArrayList<>();
        OutboundQueues q = new OutboundQueues("t", "t", (to, frame) -> {
            if (to.equals(slow)) unblock.await(20, TimeUnit.SECONDS);
            else toFast.add(frame);
        }, 5000, 100_000);
        int accepted = 0;
        for (int i = 0; i < 50; i++) if (q.offer(slow, 1000, x -> new byte[1000])) accepted++;
        assertThat(accepted).as("frames for the blocked destination kept").isLessThanOrEqualTo(6);
        assertThat(q.dropped()).isEqualTo(50 - accepted);
        for (int i = 0; i < 200; i++) assertThat(q.offer(fast, 10, x -> new byte[10])).isTrue();
        await(() -> toFast.size() == 200);
        unblock.countDown();
        await(() -> q.queuedBytes() == 0);
        q.close(1000);
    }

    @Test
    void framesLeaveInTheOrderTheyWereSealed() throws Exception {
        Address to = UUID.randomUUID();
        List<Long> seen = new CopyOnWriteArrayList<>();
        OutboundQueues q = new OutboundQueues("t", "t", (a, frame) -> seen.add(java.nio.ByteBuffer.wrap(frame).getLong()), 1 << 20, 1 << 20);
        java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 500; i++) q.offer(to, 8, x -> java.nio.ByteBuffer.allocate(8).putLong(seq.incrementAndGet()).array());
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        await(() -> seen.size() == 2000);
        for (int i = 0; i < seen.size(); i++) assertThat(seen.get(i)).isEqualTo(i + 1L);
        q.close(1000);
    }

    @Test
    void forgettingADestinationReleasesItsBytes() throws Exception {
        Address gone = UUID.randomUUID();
        CountDownLatch unblock = new CountDownLatch(1);
        OutboundQueues q = new OutboundQueues("t", "t", (a, frame) -> unblock.await(20, TimeUnit.SECONDS), 1000, 1000);
        for (int i = 0; i < 5; i++) q.offer(gone, 100, x -> new byte[100]);
        q.forget(gone);
        assertThat(q.queuedBytes()).as("only the frame in flight").isLessThanOrEqualTo(100);
        unblock.countDown();
        await(() -> q.queuedBytes() == 0);
        assertThat(q.destinations()).isZero();
        q.close(1000);
    }
}
