package dev.tally.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends Redis commands with nothing but a socket (RESP), for suites whose class path holds no Redis client (the
 * portable suites run with only the container's and the test's classes): to reach into the store behind the WAR.
 */
public final class RedisCommands {

    private RedisCommands() {
    }

    /** Runs each command in {@code database} of the Redis at {@code url}; answers the last reply's first line. */
    public static String run(String url, String[]... commands) {
        if (url.startsWith("redis-sentinel://") || url.startsWith("redis-cluster://")) {
            return throughCli(url, commands);
        }
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

    /**
     * The same on a Sentinel-managed Redis (its master, database of the URL) or a cluster (following redirections),
     * through redis-cli.
     */
    private static String throughCli(String url, String[]... commands) {
        String rest = url.substring(url.indexOf("://") + 3);
        String first = rest.split("[,/]")[0];
        int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
        List<String> options = new ArrayList<>();
        if (url.startsWith("redis-cluster://")) {
            options.add("-c");
        } else {
            String[] path = rest.substring(rest.indexOf('/') + 1).split("/");
            port = Integer.parseInt(RedisCli.cli(port, "SENTINEL", "get-master-addr-by-name", path[0]).get(1));
            options.addAll(List.of("-n", path.length > 1 ? path[1] : "0"));
        }
        options.add("--no-raw");
        String reply = "";
        for (String[] command : commands) {
            List<String> line = new ArrayList<>(options);
            line.addAll(List.of(command));
            List<String> lines = RedisCli.cli(port, line.toArray(String[]::new));
            reply = lines.isEmpty() ? "" : resp(lines.get(0));
        }
        return reply;
    }

    /** redis-cli's rendering of a reply, back to the first line RESP would give ({@code :5}, {@code +OK}, ...). */
    private static String resp(String rendered) {
        if (rendered.startsWith("(integer) ")) {
            return ":" + rendered.substring("(integer) ".length());
        }
        if (rendered.equals("(nil)")) {
            return "$-1";
        }
        if (rendered.startsWith("(error) ")) {
            return "-" + rendered.substring("(error) ".length());
        }
        if (rendered.startsWith("\"") && rendered.endsWith("\"")) {
            return rendered.substring(1, rendered.length() - 1);
        }
        return "+" + rendered;
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
