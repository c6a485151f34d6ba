package dev.chunkflow.local.cli;

/** {@code --iam on|off}. */
final class IamOption {
    private IamOption() {
    }

    static boolean parse(String value) {
        return switch (value == null ? "on" : value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new CliError("--iam: must be on or off, got '" + value + "'");
        };
    }
}
