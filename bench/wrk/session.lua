-- POST /api/session/counter/inc as many users at once: each request carries the next of the session cookies in the
-- file BENCH_COOKIES (one "JSESSIONID=..." per line), made beforehand by bench/bench.py.
local cookies = {}
for line in io.lines(os.getenv("BENCH_COOKIES")) do
  cookies[#cookies + 1] = line
end
local i = 0
request = function()
  i = i % #cookies + 1
  return wrk.format("POST", nil, { Cookie = cookies[i] })
end
