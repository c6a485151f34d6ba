package dev.chunkflow.workloads.visits;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code patient_token = hex(HMAC-SHA256(secret, ssn))}: stable per patient under one secret, not
 * reversible without it. Not thread-safe (one {@link Mac}); use one per thread.
 */
public final class Pseudonymizer {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final Mac mac;

    public Pseudonymizer(byte[] secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public String token(String ssn) {
        byte[] h = mac.doFinal(ssn.getBytes(StandardCharsets.US_ASCII));
        char[] out = new char[h.length * 2];
        for (int i = 0; i < h.length; i++) {
            out[2 * i] = HEX[(h[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[h[i] & 0xf];
        }
        return new String(out);
    }
}
