-- One workload of scripts/bench.sh, chosen by WORKLOAD; ids of seeded
-- models and versions come from MODEL_IDS and VERSION_IDS (one per line).
local workload = os.getenv("WORKLOAD")
local project = os.getenv("PROJECT_ID")
local base = "/api/v1/model-registry"
local headers = { ["Project-ID"] = project, ["Content-Type"] = "application/json" }

local function lines(path)
  local list = {}
  for line in io.lines(path) do list[#list + 1] = line end
  return list
end
local models = lines(os.getenv("MODEL_IDS"))
local versions = lines(os.getenv("VERSION_IDS"))

local next_thread = 0
function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

local counter = 0
local run = os.time()

local function create_model()
  local name = string.format("bench-%d-%d-%d", run, thread_id, counter)
  return wrk.format("POST", base .. "/models", headers,
    string.format('{"name":"%s","region_id":"%s"}', name, project))
end

local function get_model()
  return wrk.format("GET", base .. "/models/" .. models[math.random(#models)], headers)
end

function request()
  counter = counter + 1
  if workload == "get_model" then
    return get_model()
  elseif workload == "get_version" then
    return wrk.format("GET", base .. "/model_versions/" .. versions[math.random(#versions)], headers)
  elseif workload == "get_alias" then
    return wrk.format("GET", base .. "/models/" .. models[math.random(#models)] .. "/aliases/champion", headers)
  elseif workload == "list_models" then
    return wrk.format("GET", base .. "/models?limit=20&offset=100", headers)
  elseif workload == "list_versions" then
    return wrk.format("GET", base .. "/models/" .. models[math.random(#models)] .. "/versions", headers)
  elseif workload == "list_project_versions" then
    return wrk.format("GET", base .. "/model_versions?limit=20&offset=100", headers)
  elseif workload == "list_artifacts" then
    return wrk.format("GET", base .. "/model_artifacts?limit=20&offset=100", headers)
  elseif workload == "post_model" then
    return create_model()
  elseif workload == "post_version" then
    local body = string.format(
      '{"name":"bench-%d-%d-%d","model_framework":"pytorch","model_framework_version":"2.1","uri":"s3://b"}',
      run, thread_id, counter)
    return wrk.format("POST", base .. "/models/" .. models[math.random(#models)] .. "/versions", headers, body)
  elseif workload == "patch_version" then
    local body = string.format('{"description":"bench %d-%d-%d"}', run, thread_id, counter)
    return wrk.format("PATCH", base .. "/model_versions/" .. versions[math.random(#versions)], headers, body)
  elseif workload == "mix_90_10" then
    if math.random(10) == 1 then return create_model() end
    return get_model()
  elseif workload == "first_page" then
    return wrk.format("GET", base .. "/models?limit=20", headers)
  elseif workload == "deep_offset" then
    return wrk.format("GET", base .. "/models?limit=20&offset=" .. os.getenv("DEEP_OFFSET"), headers)
  elseif workload == "deep_token" then
    return wrk.format("GET", base .. "/models?limit=20&page_token=" .. os.getenv("PAGE_TOKEN"), headers)
  elseif workload == "list_models_label" then
    return wrk.format("GET", base .. "/models?limit=20&label=team:vision", headers)
  elseif workload == "list_models_tag" then
    return wrk.format("GET", base .. "/models?limit=20&tag=frameworks:jax", headers)
  end
  error("unknown WORKLOAD " .. tostring(workload))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status + e.connect + e.read + e.write + e.timeout))
end
