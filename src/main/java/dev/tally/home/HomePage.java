package dev.tally.home;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The HTML of the home page: the four kinds of state, one section each, saying where it lives and why. Numbers and
 * times are filled in as they are; the one text a client chooses (its request id, already restricted to
 * {@code [A-Za-z0-9._-]}) is escaped all the same, so nothing a client sends can become markup.
 */
final class HomePage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private static final String TEMPLATE = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Tally</title>
            <link rel="stylesheet" href="style.css">
            <script src="app.js" defer></script>
            </head>
            <body>
            <main>
            <h1>Tally</h1>
            <p>Shared state in a web application, each kind kept where it is safe.
            <a href="api.md">The API</a> gives the same as JSON.</p>
            <section aria-labelledby="global-heading">
            <h2 id="global-heading">Everyone's counter</h2>
            <p class="where">One for the whole application, in the store: an increment there is one atomic step, so no
            two visitors ever get the same number. A field on a servlet would lose updates between threads.</p>
            <p><span id="global-label">Global counter:</span>
            <output id="global" aria-labelledby="global-label" aria-live="polite">%d</output></p>
            <form method="post" action="./" data-api="api/counters/global">
            <input type="hidden" name="action" value="count">
            <button type="submit">Count me in</button>
            </form>
            </section>
            <section aria-labelledby="session-heading">
            <h2 id="session-heading">Your counter and data</h2>
            <p class="where">Yours alone, in your HTTP session; each change is made under your session's lock, so two of
            your tabs clicking at once lose nothing.</p>
            <p><span id="session-label">Your counter:</span>
            <output id="session" aria-labelledby="session-label" aria-live="polite">%d</output></p>
            <div class="buttons">
            <form method="post" action="./" data-api="api/session/counter/inc">
            <input type="hidden" name="action" value="inc"><button type="submit">Add one</button>
            </form>
            <form method="post" action="./" data-api="api/session/counter/dec">
            <input type="hidden" name="action" value="dec"><button type="submit">Take one away</button>
            </form>
            <form method="post" action="./" data-api="api/session/counter/reset">
            <input type="hidden" name="action" value="reset"><button type="submit">Reset</button>
            </form>
            </div>
            <p>Your data: <span id="data-keys">%d</span> keys (<code>PUT api/session/data/{key}</code>).</p>
            </section>
            <section aria-labelledby="request-heading">
            <h2 id="request-heading">This request</h2>
            <p class="where">A request-scoped bean, like Flask's <code>g</code>: made for this request, seen by
            nothing else, gone when it ends.</p>
            <p>Request <code id="request-id">%s</code>, started at <time id="request-started" datetime="%s">%s</time>
            UTC.</p>
            </section>
            <section aria-labelledby="cache-heading">
            <h2 id="cache-heading">The cache</h2>
            <p class="where">Shared by everyone, each value with a time to live, like Flask-Caching's
            <code>cache.set</code>: a result worth keeping for a while, not a count.</p>
            <p>This page was first drawn at <time id="cached-at" datetime="%s">%s</time> UTC; the cache keeps that for
            %d seconds, then the next visit draws it anew.</p>
            </section>
            <p id="status" role="status"></p>
            </main>
            </body>
            </html>
            """;

    private HomePage() {
    }

    /** What the page shows, read by {@link HomeServlet}. */
    record State(long global, long yours, int dataKeys, String requestId, Instant requestStarted, Instant cachedAt,
            long cacheSeconds) {
    }

    static String render(State state) {
        return TEMPLATE.formatted(state.global(), state.yours(), state.dataKeys(), escape(state.requestId()),
                state.requestStarted(), TIME.format(state.requestStarted()), state.cachedAt(),
                TIME.format(state.cachedAt()), state.cacheSeconds());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
