-- A mixed load for scripts/soak.sh: mostly reads, some creates and updates.
-- Reads MODEL_PATH and PROJECT_ID from the environment.
local model_path = os.getenv("MODEL_PATH")
local project = os.getenv("PROJECT_ID")
local base = "/api/v1/model-registry"
local headers = { ["Project-ID"] = project, ["Content-Type"] = "application/json" }
local next_thread = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

local counter = 0

function request()
  counter = counter + 1
  local pick = math.random(100)
  if pick <= 60 then
    return wrk.format("GET", model_path, headers)
  elseif pick <= 80 then
    return wrk.format("GET", base .. "/models?limit=20&offset=" .. (counter % 50), headers)
  elseif pick <= 90 then
    local name = string.format("soak-%d-%d", thread_id, counter)
    local body = string.format('{"name":"%s","region_id":"%s"}', name, project)
    return wrk.format("POST", base .. "/models", headers, body)
  else
    local body = string.format('{"description":"soak %d","model_size":%d}', counter, counter)
    return wrk.format("PATCH", model_path, headers, body)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "requests=%d non_2xx=%d socket_errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
