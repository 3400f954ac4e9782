-- The soak's mixed load on two Tally contexts (memory store at /tally, Redis at /tally-redis): round nine requests
-- of one user per context whose session cookie all connections share (so its requests also run at once): a global
-- counter, the session counter and data, a cache write of one of 500 keys, a cache read, the page, health. Every
-- 181st request (on either context in turn) is a visitor without a cookie whose POST creates a session it never
-- comes back to: those pile up until tally.session.newTimeout (120 s) ends them, and then stay level.
local n = 0
-- The users' sessions, made by bench/soak.py before the run (with their data key "cart").
local cookie = { ["/tally"] = os.getenv("SOAK_COOKIE_TALLY"), ["/tally-redis"] = os.getenv("SOAK_COOKIE_REDIS") }
local body = '{"user":"soak","items":[1,2,3],"ok":true}'
local json = { ["Content-Type"] = "application/json" }

request = function()
  n = n + 1
  local ctx = (n % 2 == 0) and "/tally" or "/tally-redis"
  local step = n % 9
  local headers = { Cookie = cookie[ctx] }
  local key = "soak-" .. (n % 500)
  if n % 181 == 0 then return wrk.format("POST", ctx .. "/api/session/counter/inc")
  elseif step == 0 then return wrk.format("POST", ctx .. "/api/counters/soak", headers)
  elseif step == 1 then return wrk.format("POST", ctx .. "/api/session/counter/inc", headers)
  elseif step == 2 then
    headers["Content-Type"] = "application/json"
    return wrk.format("PUT", ctx .. "/api/session/data/cart", headers, body)
  elseif step == 3 then return wrk.format("GET", ctx .. "/api/session/data/cart", headers)
  elseif step == 4 then return wrk.format("PUT", ctx .. "/api/cache/" .. key .. "?ttl=3600", json, body)
  elseif step == 5 then return wrk.format("GET", ctx .. "/api/cache/soak-fixed")
  elseif step == 6 then return wrk.format("GET", ctx .. "/", headers)
  elseif step == 7 then return wrk.format("GET", ctx .. "/api/session/counter", headers)
  else return wrk.format("GET", ctx .. "/api/health")
  end
end
