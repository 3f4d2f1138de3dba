-- A server command that is not executable: a warning, no client, no error.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

H.run(function()
  require("neurogebra").setup({ cmd = "no-such-neurogebra-lsp" })
  local bufnr = H.open("math/quadratic.ngb")
  vim.wait(200)
  H.emit({
    event = "missing",
    filetype = vim.bo[bufnr].filetype,
    clients = #require("neurogebra.lsp").clients(),
    messages = vim.fn.execute("messages"),
  })
end)
