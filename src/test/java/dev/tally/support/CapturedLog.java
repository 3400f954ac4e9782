package dev.tally.support;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Everything logged through java.util.logging in this JVM while it is open (Tomcat, Weld and Tally all log there):
 * each message, and each exception in a record's cause chain.
 */
public final class CapturedLog extends Handler implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();

    private CapturedLog() {
    }

    public static CapturedLog start() {
        CapturedLog log = new CapturedLog();
        Logger.getLogger("").addHandler(log);
        return log;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        lines.add(String.valueOf(record.getMessage()));
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            lines.add(t.toString());
        }
    }

    /** The lines logged so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    /** Stops capturing. */
    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
