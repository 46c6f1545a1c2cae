package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InboundBudgetTest {
    @Test
    void aSenderIsBoundedByItsOwnBytesAndOthersStillFit() {
        InboundBudget b = new InboundBudget(100, 250, 1000);
        assertThat(b.tryCharge("a", 60)).isTrue();
        assertThat(b.tryCharge("a", 50)).as("a over its 100").isFalse();
        assertThat(b.tryCharge("b", 100)).isTrue();
        assertThat(b.tryCharge("c", 100)).as("total over 250").isFalse();
        assertThat(b.tryCharge("c", 90)).isTrue();
        assertThat(b.queuedBytes()).isEqualTo(250);
        b.release("a", 60);
        assertThat(b.tryCharge("a", 60)).isTrue();
    }

    @Test
    void framesAreBoundedTooAndSendersWithNothingQueuedLeaveNoEntry() {
        InboundBudget b = new InboundBudget(1000, 1000, 2);
        assertThat(b.tryCharge("a", 1)).isTrue();
        assertThat(b.tryCharge("b", 1)).isTrue();
        assertThat(b.tryCharge("c", 1)).isFalse();
        b.release("a", 1);
        b.release("b", 1);
        assertThat(b.senders()).isZero();
        assertThat(b.queuedBytes()).isZero();
    }
}
