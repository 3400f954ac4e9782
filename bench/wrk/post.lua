-- POST with no body to the URL given on wrk's command line (a counter increment, or the no-op baseline).
wrk.method = "POST"
