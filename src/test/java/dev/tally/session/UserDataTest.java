package dev.tally.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.config.Settings;
import dev.tally.config.TallyConfig;
import dev.tally.problem.Problem;
import dev.tally.store.MemoryBudget;
import dev.tally.support.Concurrently;
import dev.tally.support.FakeSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link UserData} on a session in memory: no lost update between one user's requests, and its bounds. */
class UserDataTest {

    private static final int MAX_KEYS = 100;

    private final UserData data = new UserData();

    UserDataTest() {
        data.locks = new SessionLocks();
        data.budget = new MemoryBudget(1L << 30);
        data.config = TallyConfig.from(new Settings(name -> name.equals("tally.session.maxKeys")
                ? String.valueOf(MAX_KEYS) : null, name -> null, Map.of()));
    }

    @Test
    void oneUsersConcurrentWritesToDifferentKeysAreAllKept() throws Exception {
        FakeSession session = new FakeSession("one-user");
        int threads = 8;
        int each = 10;

        Concurrently.run(threads, each, (thread, i) -> {
            data.put(session, "k" + thread + "-" + i, String.valueOf(thread * 100 + i));
            return null;
        });

        assertThat(data.keys(session)).as("keys written by %d threads, %d each", threads, each)
                .isEqualTo(threads * each);
        for (int thread = 0; thread < threads; thread++) {
            for (int i = 0; i < each; i++) {
                assertThat(data.get(session, "k" + thread + "-" + i)).hasValue(String.valueOf(thread * 100 + i));
            }
        }
    }

    @Test
    void aFullSessionTakesNoNewKeyButStillReplacesAndDeletes() {
        FakeSession session = new FakeSession("full");
        for (int i = 0; i < MAX_KEYS; i++) {
            data.put(session, "k" + i, "1");
        }
        assertThatThrownBy(() -> data.put(session, "one-more", "1")).isInstanceOfSatisfying(
                TooManyKeysException.class, refused -> assertThat(refused.problem()).isEqualTo(Problem.TOO_MANY_KEYS));
        data.put(session, "k0", "\"replaced\"");
        assertThat(data.get(session, "k0")).hasValue("\"replaced\"");
        data.delete(session, "k1");
        data.put(session, "one-more", "2");
        assertThat(data.keys(session)).isEqualTo(MAX_KEYS);
    }

    @Test
    void withoutASessionNothingIsThereAndDeletingIsHarmless() {
        assertThat(data.get(null, "k")).isEmpty();
        assertThat(data.keys(null)).isZero();
        data.delete(null, "k");
    }

    @Test
    void aConditionalWriteGoesAheadOnlyOnTheVersionItNames() {
        FakeSession session = new FakeSession("versions");
        data.put(session, "doc", "{\"n\":1}", WriteCondition.NONE.andAbsent());
        String v1 = WriteCondition.version("{\"n\":1}");

        assertThatThrownBy(() -> data.put(session, "doc", "{\"n\":0}", WriteCondition.NONE.andAbsent()))
                .isInstanceOf(PreconditionFailedException.class);
        data.put(session, "doc", "{\"n\":2}", WriteCondition.ifVersion(java.util.Set.of(v1)));
        assertThatThrownBy(() -> data.put(session, "doc", "{\"n\":3}", WriteCondition.ifVersion(java.util.Set.of(v1))))
                .isInstanceOfSatisfying(PreconditionFailedException.class,
                        refused -> assertThat(refused.problem()).isEqualTo(Problem.PRECONDITION_FAILED));
        assertThatThrownBy(() -> data.delete(session, "doc", WriteCondition.ifVersion(java.util.Set.of())))
                .as("only weak tags: nothing qualifies").isInstanceOf(PreconditionFailedException.class);
        assertThat(data.get(session, "doc")).hasValue("{\"n\":2}");

        data.delete(session, "doc", WriteCondition.ifPresent());
        assertThatThrownBy(() -> data.delete(session, "doc", WriteCondition.ifPresent()))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> data.delete(null, "doc", WriteCondition.ifPresent()))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(WriteCondition.version("{\"n\":2}")).isEqualTo(WriteCondition.version("{\"n\":2}"))
                .isNotEqualTo(WriteCondition.version("{\"n\": 2}")).hasSize(22);
    }
}
