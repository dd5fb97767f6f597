-- wrk's figures as one JSON line, for bench/serve/wrk.py to read.
--
-- Given the argument "count-statuses" (`wrk ... -- count-statuses`), it
-- also counts the responses whose status is not 2xx, by status. wrk's own
-- summary counts only statuses of 400 and over, and handing every body to
-- Lua costs throughput, so the count is asked for only where it is a floor.

MARKER = "wrk-json "

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  if args[1] == "count-statuses" then
    statuses = {}
    -- Defined here, not at the top, so that wrk passes responses to Lua
    -- only when the count was asked for.
    function response(status, headers, body)
      if status < 200 or status > 299 then
        local key = tostring(status)
        statuses[key] = (statuses[key] or 0) + 1
      end
    end
  end
end

-- Each thread counts in its own Lua state; add the counts up. nil when
-- the statuses were not counted.
local function other_statuses()
  local total = nil
  for _, thread in ipairs(threads) do
    local counted = thread:get("statuses")
    if counted then
      total = total or {}
      for status, count in pairs(counted) do
        total[status] = (total[status] or 0) + count
      end
    end
  end
  return total
end

local function json_counts(counts)
  if counts == nil then
    return "null"
  end
  local parts = {}
  for key, count in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', key, count))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(MARKER .. string.format(
    '{"requests": %d, "seconds": %.3f, "requests_per_second": %.1f, '
      .. '"p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "errors": %s, '
      .. '"non_2xx": %s}\n',
    summary.requests,
    seconds,
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    latency.max / 1000,
    json_counts({
      connect = errors.connect,
      read = errors.read,
      write = errors.write,
      status = errors.status,
      timeout = errors.timeout,
    }),
    json_counts(other_statuses())
  ))
end
