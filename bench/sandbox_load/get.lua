-- Authenticated GET of one real resource: GET /v1/projects/{id} with the bearer key.
-- Environment: BENCH_KEY (the API key), BENCH_PATH (e.g. /v1/projects/prj_...).
-- done(): the figures as one JSON line, shared with the other scripts.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
local key = os.getenv("BENCH_KEY") or error("get.lua: BENCH_KEY is not set")
local path = os.getenv("BENCH_PATH") or error("get.lua: BENCH_PATH is not set")
wrk.method = "GET"
wrk.path = path
wrk.headers["Authorization"] = "Bearer " .. key
wrk.headers["Accept"] = "application/json"
