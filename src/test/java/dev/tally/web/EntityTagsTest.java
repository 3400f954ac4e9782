package dev.tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntityTagsTest {

    @Test
    void listsOfTagsAreReadStrongOrWeakAsAsked() {
        assertThat(EntityTags.values("\"a\"", false)).containsExactly("a");
        assertThat(EntityTags.values(" \"a\" , W/\"b\",\"c\" ", false)).containsExactly("a", "c");
        assertThat(EntityTags.values(" \"a\" , W/\"b\",\"c\" ", true)).containsExactly("a", "b", "c");
        assertThat(EntityTags.values("\"\"", false)).containsExactly("");
    }

    @Test
    void aListThatDoesNotParseNamesNoTag() {
        for (String header : new String[] {"a", "\"a", "\"a\" \"b\"", "\"a\";x", "\"a b\"", "W/a", ""}) {
            assertThat(EntityTags.values(header, true)).as(header).isEmpty();
        }
    }

    @Test
    void anyIsTheStarAlone() {
        assertThat(EntityTags.isAny(" * ")).isTrue();
        assertThat(EntityTags.isAny("\"*\"")).isFalse();
        assertThat(EntityTags.quoted("v1")).isEqualTo("\"v1\"");
    }
}
