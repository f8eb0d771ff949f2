-- wrk script for `make loadtest`: logged-in requests spread over the dashboard, an indicator page
-- and the outcome report. The session cookie and the initiative come from the environment.
local cookie = os.getenv("LOADTEST_COOKIE")
local base = "/i/" .. os.getenv("LOADTEST_SLUG")
local paths = { base .. "/dashboard/", base .. "/indicators/R1/", base .. "/report/" }
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], { ["Cookie"] = cookie, ["Host"] = "localhost" })
end
