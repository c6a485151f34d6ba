package dev.chunkflow.local.serve;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 as the services check it: the credential scope of the Authorization header
 * (which service a request is for, so one edge port can route it) and the signature itself, recomputed
 * from the canonical request with the local secret key.
 */
public final class SigV4 {
    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");

    /** The parsed Authorization header. */
    public record Credential(String accessKey, String date, String region, String service, List<String> signedHeaders,
                             String signature) {
    }

    private SigV4() {
    }

    /** The credential of an {@code AWS4-HMAC-SHA256} Authorization header, if it is one. */
    public static Optional<Credential> parse(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        Matcher m = AUTH.matcher(authorization.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Credential(m.group(1), m.group(2), m.group(3), m.group(4),
                List.of(m.group(5).split(";")), m.group(6)));
    }

    /**
     * Whether the request carries a valid signature by {@code secretKey}.
     *
     * @param headers lower-case header names to their values (several values of one header in order)
     * @param rawPath the path as sent (still percent-encoded)
     * @param rawQuery the query as sent, or null
     */
    public static boolean verify(Credential c, String secretKey, String method, String rawPath, String rawQuery,
                                 Map<String, List<String>> headers, byte[] body) {
        String amzDate = first(headers, "x-amz-date");
        if (amzDate == null || !amzDate.startsWith(c.date())) {
            return false;
        }
        String payloadHash = first(headers, "x-amz-content-sha256");
        if (payloadHash == null) {
            payloadHash = hex(sha256(body));
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String h : c.signedHeaders()) {
            List<String> values = headers.get(h);
            if (values == null) {
                return false;
            }
            List<String> trimmed = new ArrayList<>();
            values.forEach(v -> trimmed.add(v.trim().replaceAll(" +", " ")));
            canonicalHeaders.append(h).append(':').append(String.join(",", trimmed)).append('\n');
        }
        // Every service but S3 signs the path URI-encoded once more (S3 is checked by the S3 server itself).
        String canonicalRequest = method + "\n" + encode(rawPath.isEmpty() ? "/" : rawPath, false) + "\n"
                + canonicalQuery(rawQuery) + "\n" + canonicalHeaders + "\n" + String.join(";", c.signedHeaders()) + "\n"
                + payloadHash;
        String scope = c.date() + "/" + c.region() + "/" + c.service() + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), c.date());
        key = hmac(key, c.region());
        key = hmac(key, c.service());
        key = hmac(key, "aws4_request");
        String expected = hex(hmac(key, stringToSign));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), c.signature().getBytes(StandardCharsets.US_ASCII));
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            params.computeIfAbsent(encode(decode(k), true), x -> new ArrayList<>()).add(encode(decode(v), true));
        }
        List<String> parts = new ArrayList<>();
        params.forEach((k, vs) -> vs.stream().sorted().forEach(v -> parts.add(k + "=" + v)));
        return String.join("&", parts);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** RFC 3986 encoding as SigV4 defines it: unreserved characters stay, '/' too unless {@code slash}. */
    static String encode(String s, boolean slash) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (x & 0xff);
            if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                    || ch == '-' || ch == '_' || ch == '.' || ch == '~' || (ch == '/' && !slash)) {
                b.append(ch);
            } else {
                b.append('%').append(String.format("%02X", x & 0xff));
            }
        }
        return b.toString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
