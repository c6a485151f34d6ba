package dev.chunkflow.local.iam;

/**
 * IAM's glob: {@code *} matches any run of characters (including none and {@code /}), {@code ?} exactly
 * one. Actions compare case-insensitively, resources and most condition values case-sensitively.
 */
final class Wildcard {
    private Wildcard() {
    }

    static boolean matches(String pattern, String value, boolean ignoreCase) {
        String p = ignoreCase ? pattern.toLowerCase(java.util.Locale.ROOT) : pattern;
        String v = ignoreCase ? value.toLowerCase(java.util.Locale.ROOT) : value;
        int pi = 0;
        int vi = 0;
        int star = -1;
        int mark = 0;
        while (vi < v.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == v.charAt(vi))) {
                pi++;
                vi++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = vi;
            } else if (star >= 0) {
                pi = star + 1;
                vi = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}
