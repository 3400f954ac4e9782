package dev.tally.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Client addresses as a setting names them: a comma-separated list of IP addresses and CIDR ranges
 * ({@code 127.0.0.1, 10.0.0.0/8, fd00::/8}). Only literal addresses: a host name is refused, never looked up.
 */
public final class AddressRanges {

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");

    private final List<Range> ranges;

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            return rest == 0 || ((address[full] ^ network[full]) & (0xFF << (8 - rest)) & 0xFF) == 0;
        }
    }

    private AddressRanges(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** None: no address is in it. */
    public static AddressRanges none() {
        return new AddressRanges(List.of());
    }

    /** The ranges a setting's value names; an entry that is not an address or a range stops the deployment. */
    public static AddressRanges parse(String setting, String value) {
        if (value == null) {
            return none();
        }
        List<Range> ranges = new ArrayList<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int slash = trimmed.indexOf('/');
            String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
            byte[] bytes = literal(address);
            int prefix = bytes == null ? -1 : bytes.length * 8;
            if (bytes != null && slash >= 0) {
                String bits = trimmed.substring(slash + 1);
                prefix = bits.matches("[0-9]{1,3}") ? Integer.parseInt(bits) : -1;
            }
            if (bytes == null || prefix < 0 || prefix > bytes.length * 8) {
                throw new InvalidSettingException(setting, "IP addresses or CIDR ranges, separated by commas",
                        trimmed);
            }
            ranges.add(new Range(bytes, prefix));
        }
        return new AddressRanges(List.copyOf(ranges));
    }

    /** The bytes of a literal IPv4 or IPv6 address, or null when it is not one. */
    private static byte[] literal(String address) {
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            return null;
        }
        try {
            // A literal (four numbers, or with a colon) is parsed, never looked up.
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code address} (a client's address as the container reports it) is in one of the ranges. */
    public boolean contains(String address) {
        if (ranges.isEmpty() || address == null) {
            return false;
        }
        byte[] bytes = literal(address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address);
        return bytes != null && ranges.stream().anyMatch(range -> range.contains(bytes));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }
}
