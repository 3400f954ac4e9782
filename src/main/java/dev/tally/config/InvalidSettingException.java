package dev.tally.config;

/**
 * A setting has a value Tally cannot use. Thrown at startup, so the deployment fails with a message that names the
 * setting; the value is quoted only when it cannot hold credentials.
 */
public class InvalidSettingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidSettingException(String name, String expected, String value) {
        super("Invalid setting " + name + ": expected " + expected + ", got '" + value + "'");
    }

    public InvalidSettingException(String message) {
        super(message);
    }
}
