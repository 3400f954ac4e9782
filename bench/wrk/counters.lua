-- POST to one of BENCH_COUNTERS distinct counters, picked at random for each request: BENCH_PREFIX .. n.
local prefix = os.getenv("BENCH_PREFIX")
local count = tonumber(os.getenv("BENCH_COUNTERS") or "10000")
request = function()
  return wrk.format("POST", prefix .. math.random(1, count))
end
