-- :NeurogebraRestart replaces the client, and the new one serves the buffer.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

H.run(function()
  H.setup()
  local bufnr = H.open("math/quadratic.ngb")
  local old = H.client(bufnr)
  vim.cmd("NeurogebraRestart")
  local new = H.client(bufnr)
  H.emit({
    event = "restarted",
    new_client = new.id ~= old.id,
    old_client_gone = vim.lsp.get_client_by_id(old.id) == nil,
    clients = #require("neurogebra.lsp").clients(),
  })
  H.emit_hover(H.hover_until(bufnr, 1, 0, "2·x + 3"))
end)
