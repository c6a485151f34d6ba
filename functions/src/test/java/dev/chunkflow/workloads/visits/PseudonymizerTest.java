package dev.chunkflow.workloads.visits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PseudonymizerTest {

    @Test
    void isHmacSha256HexRfc4231Case2() {
        Pseudonymizer p = new Pseudonymizer("Jefe".getBytes(StandardCharsets.UTF_8));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                p.token("what do ya want for nothing?"));
    }

    @Test
    void dependsOnTheSecret() {
        String a = new Pseudonymizer("secret-one-0123456789".getBytes(StandardCharsets.UTF_8)).token("123-45-6789");
        String b = new Pseudonymizer("secret-two-0123456789".getBytes(StandardCharsets.UTF_8)).token("123-45-6789");
        assertNotEquals(a, b);
        assertEquals(64, a.length());
    }
}
