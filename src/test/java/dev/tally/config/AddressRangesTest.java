package dev.tally.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressRangesTest {

    @Test
    void addressesAndRangesOfBothFamilies() {
        AddressRanges ranges = AddressRanges.parse("tally.metrics.openTo", "127.0.0.1, 10.0.0.0/8,192.168.1.128/25,"
                + " fd00::/8, ::1");
        assertThat(ranges.contains("127.0.0.1")).isTrue();
        assertThat(ranges.contains("127.0.0.2")).isFalse();
        assertThat(ranges.contains("10.255.3.4")).isTrue();
        assertThat(ranges.contains("11.0.0.1")).isFalse();
        assertThat(ranges.contains("192.168.1.200")).isTrue();
        assertThat(ranges.contains("192.168.1.100")).isFalse();
        assertThat(ranges.contains("fd12:3456::1")).isTrue();
        assertThat(ranges.contains("[::1]")).isTrue();
        assertThat(ranges.contains("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(ranges.contains("fe80::1")).isFalse();
        assertThat(ranges.contains("not-an-address")).isFalse();
        assertThat(ranges.contains(null)).isFalse();
    }

    @Test
    void noneByDefaultAndEveryAddressWithSlashZero() {
        assertThat(AddressRanges.parse("x", null).contains("127.0.0.1")).isFalse();
        assertThat(AddressRanges.parse("x", "0.0.0.0/0").contains("203.0.113.9")).isTrue();
    }

    @Test
    void hostNamesAndBadRangesStopTheDeploymentWithoutALookup() {
        for (String bad : new String[] {"localhost", "prometheus.internal", "10.0.0.0/33", "::1/129", "10.0.0.0/x",
            "1.2.3.4.5", "10.0.0.0/8/8"}) {
            assertThatThrownBy(() -> AddressRanges.parse("tally.metrics.openTo", bad)).as(bad)
                    .isInstanceOf(InvalidSettingException.class).hasMessageContaining("tally.metrics.openTo");
        }
    }
}
