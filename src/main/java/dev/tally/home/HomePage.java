package dev.tally.home;

/**
 * The HTML of the home page. Only numbers are filled in, so nothing a client sends can reach the markup.
 */
final class HomePage {

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
            <p>Shared state in a web application, done right: one counter for everyone, one for you.</p>
            <section aria-labelledby="global-heading">
            <h2 id="global-heading">Everyone's counter</h2>
            <p><span id="global-label">Global counter:</span>
            <output id="global" aria-labelledby="global-label" aria-live="polite">%d</output></p>
            <form method="post" action="./" data-api="api/counters/global">
            <input type="hidden" name="action" value="count">
            <button type="submit">Count me in</button>
            </form>
            </section>
            <section aria-labelledby="session-heading">
            <h2 id="session-heading">Your counter</h2>
            <p><span id="session-label">Kept in your session:</span>
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
            </section>
            <p id="status" role="status"></p>
            </main>
            </body>
            </html>
            """;

    private HomePage() {
    }

    static String render(long globalCount, long sessionCount) {
        return TEMPLATE.formatted(globalCount, sessionCount);
    }
}
