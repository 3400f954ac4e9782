-- PUT a small JSON value to one of 1000 cache keys, picked at random: BENCH_PREFIX .. n.
local prefix = os.getenv("BENCH_PREFIX")
request = function()
  return wrk.format("PUT", prefix .. math.random(1, 1000), { ["Content-Type"] = "application/json" },
    '{"user":"bench","items":[1,2,3],"ok":true}')
end
