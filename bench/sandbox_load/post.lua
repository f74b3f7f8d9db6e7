-- Authenticated POST with a body: POST /v1/projects, each request a new project (a unique
-- name) under its own Idempotency-Key, as a client that retries safely sends it. Every
-- request creates rows (the project, its production environment, an event, the
-- idempotency record): the benchmark's database is thrown away after the run.
-- Environment: BENCH_KEY (the API key).
-- done(): the figures as one JSON line, shared with the other scripts.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
local key = os.getenv("BENCH_KEY") or error("post.lua: BENCH_KEY is not set")
math.randomseed(os.time())
local counter = 0
local thread_tag = 0

function setup(thread)
  thread:set("tag", math.random(1, 2 ^ 31))
end

function init(args)
  thread_tag = tag or math.random(1, 2 ^ 31)
end

function request()
  counter = counter + 1
  local id = thread_tag .. "-" .. counter
  local headers = {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
    -- The spec asks for a UUID; a per-thread tag and the counter make it unique.
    ["Idempotency-Key"] = string.format("%08x-0000-4000-8000-%012x", thread_tag, counter),
  }
  local body = '{"name":"load-' .. id .. '","description":"wrk load benchmark","labels":{"bench":"sandbox-load"}}'
  return wrk.format("POST", "/v1/projects", headers, body)
end
