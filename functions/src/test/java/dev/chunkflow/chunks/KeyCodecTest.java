package dev.chunkflow.chunks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.chunkflow.source.VisitKey;

class KeyCodecTest {

    @Test
    void wellFormedKeysRoundTripAndSortLikeTheirStrings() {
        KeyCodec c = new KeyCodec();
        long a = c.read("V1,2024-03-01,123-45-6789,P,99213,100,2024-03-01T00:00:00Z", 0);
        long b = c.read("x,y,V2,2024-03-01,123-45-6790,P", 4);
        long d = c.read("V3,2024-02-29,999-99-9999,P,99213,100,t", 0);
        assertEquals("2024-03-01", KeyCodec.date(a));
        assertEquals("123-45-6789", KeyCodec.ssn(a));
        assertEquals("123-45-6790", KeyCodec.ssn(b));
        assertTrue(d < a && a < b);
        assertNull(c.oddKey());
    }

    @Test
    void quotedAndMalformedKeysAreConsistent() {
        KeyCodec c = new KeyCodec();
        long plain = c.read("V1,2024-03-01,123-45-6789,P", 0);
        assertEquals(plain, c.read("V1,\"2024-03-01\",123-45-6789,\"P,Q\"", 0));
        assertEquals(KeyCodec.NONE, c.read("V1,03/01/2024,123-45-6789,P", 0));
        assertEquals(new VisitKey("03/01/2024", "123-45-6789"), c.oddKey());
        assertEquals(KeyCodec.NONE, c.read("V1", 0));
        assertEquals(new VisitKey("", ""), c.oddKey());
    }

    @Test
    void longIntMapCountsAcrossGrowth() {
        LongIntMap m = new LongIntMap(4);
        for (long k = 0; k < 100_000; k++) {
            m.add(k * 7919, 1);
            m.add(k * 7919, (int) (k % 3));
        }
        assertEquals(100_000, m.size());
        assertEquals(1, m.get(0, -1));
        assertEquals(3, m.get(5 * 7919, -1));
        assertEquals(-1, m.get(1, -1));
    }

    @Test
    void charVariantsWriteTheSameText() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        char[] buf = new char[KeyCodec.DATE_CHARS + KeyCodec.SSN_CHARS];
        for (int i = 0; i < 10_000; i++) {
            String date = String.format("%04d-%02d-%02d", r.nextInt(10_000), r.nextInt(100), r.nextInt(100));
            String ssn = String.format("%03d-%02d-%04d", r.nextInt(1000), r.nextInt(100), r.nextInt(10_000));
            long code = KeyCodec.encode(date, 0, 10, ssn, 0, 11);
            KeyCodec.date(code, buf, 0);
            KeyCodec.ssn(code, buf, KeyCodec.DATE_CHARS);
            assertEquals(KeyCodec.date(code) + KeyCodec.ssn(code), new String(buf));
            assertEquals(date + ssn, new String(buf));
        }
    }
}
