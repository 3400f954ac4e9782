package dev.tally.request;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.UnavailableException;
import org.junit.jupiter.api.Test;

class RequestIdFilterTest {

    @Test
    void refusesToStartWhenNothingWasInjected() {
        // What a container without CDI integration does: it creates the filter and injects nothing.
        assertThatThrownBy(() -> new RequestIdFilter().init()).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("CDI is not active").hasMessageContaining("ee10-cdi");
    }
}
