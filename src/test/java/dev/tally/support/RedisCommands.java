package dev.tally.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Sends Redis commands with nothing but a socket (RESP), for suites whose class path holds no Redis client (the
 * portable suites run with only the container's and the test's classes): to reach into the store behind the WAR.
 */
public final class RedisCommands {

    private RedisCommands() {
    }

    /** Runs each command in {@code database} of the Redis at {@code url}; answers the last reply's first line. */
    public static String run(String url, String[]... commands) {
        URI uri = URI.create(url);
        String database = uri.getPath() == null || uri.getPath().length() < 2 ? "0" : uri.getPath().substring(1);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            send(out, "SELECT", database);
            String reply = line(in);
            for (String[] command : commands) {
                send(out, command);
                reply = line(in);
                if (reply.startsWith("$") && !reply.equals("$-1")) {
                    reply = line(in);
                }
            }
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(OutputStream out, String... command) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        buffer.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String part : command) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buffer.writeBytes(bytes);
            buffer.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(buffer.toByteArray());
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int b = in.read(); b != -1; b = in.read()) {
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
        throw new IOException("Redis closed the connection");
    }
}
