-- "Insert derivative d/dx" on a definition without a claim inserts the derivative below it.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

local TITLE = "Insert derivative d/dx"

H.run(function()
  H.setup()
  local bufnr = H.open("math/cubic.ngb")
  local client = H.client(bufnr)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 1, character = 0 }, ["end"] = { line = 1, character = 0 } },
    context = { diagnostics = {} },
  }
  local actions
  vim.wait(H.timeout_ms, function()
    actions = H.request(bufnr, "textDocument/codeAction", params) or {}
    return #actions > 0
  end, 200)
  H.apply_action(bufnr, client, actions, TITLE)
end)
