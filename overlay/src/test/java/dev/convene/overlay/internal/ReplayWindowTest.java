package dev.convene.overlay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    @Test
    void eachNumberIsAcceptedOnceInOrder() {
        ReplayWindow w = new ReplayWindow();
        for (long s = 1; s <= 5000; s++) assertThat(w.accept(s)).isTrue();
        for (long s = 4000; s <= 5000; s++) assertThat(w.accept(s)).as("replay of %d", s).isFalse();
        assertThat(w.highest()).isEqualTo(5000);
    }

    @Test
    void numbersOutOfOrderWithinTheWindowAreAcceptedOnceAndOlderOnesRefused() {
        ReplayWindow w = new ReplayWindow();
        List<Long> order = new ArrayList<>();
        for (long s = 1; s <= 3000; s++) order.add(s);
        // Shuffle inside blocks smaller than the window: what arrives reordered by a few hundred is kept.
        Random random = new Random(3);
        for (int i = 0; i < order.size(); i += 500) Collections.shuffle(order.subList(i, Math.min(order.size(), i + 500)), random);
        for (long s : order) assertThat(w.accept(s)).as("first %d", s).isTrue();
        for (long s : order) assertThat(w.accept(s)).as("again %d", s).isFalse();
    }

    @Test
    void aJumpForgetsWhatIsNowBehindTheWindow() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.accept(1)).isTrue();
        assertThat(w.accept(ReplayWindow.SIZE + 10)).isTrue();
        assertThat(w.accept(5)).as("older than the window").isFalse();
        assertThat(w.accept(11)).as("just inside, not seen").isTrue();
        assertThat(w.accept(11)).isFalse();
        assertThat(w.accept(Long.MAX_VALUE)).isTrue();
        assertThat(w.accept(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void zeroAndNegativeNumbersAreNeverAccepted() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.accept(0)).isFalse();
        assertThat(w.accept(-1)).isFalse();
        assertThat(w.accept(Long.MIN_VALUE)).isFalse();
    }

    @Test
    void bitsShiftAcrossWordBoundaries() {
        ReplayWindow w = new ReplayWindow();
        for (long s = 1; s <= 200; s += 3) assertThat(w.accept(s)).isTrue();
        assertThat(w.accept(263)).isTrue(); // shift by 64 + 1
        for (long s = 1; s <= 200; s++) assertThat(w.accept(s)).as("%d", s).isEqualTo((s - 1) % 3 != 0);
    }
}
