-- The quick fix for the wrong claim, asked for with the diagnostic in the context as Neovim does it.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

local TITLE = "Replace with the correct derivative"

H.run(function()
  H.setup()
  local bufnr = H.open("math/quadratic.ngb")
  local client = H.client(bufnr)
  local on_claim = {}
  H.wait("the diagnostic on line 3", function()
    on_claim = vim.diagnostic.get(bufnr, { lnum = 2 })
    return #on_claim > 0
  end)
  -- the context as vim.lsp.buf.code_action() builds it: vim.lsp.diagnostic.from where it exists (0.11), else
  -- the line's diagnostics (0.7)
  local context = vim.lsp.diagnostic.from and vim.lsp.diagnostic.from(on_claim)
    or vim.lsp.diagnostic.get_line_diagnostics(bufnr, 2)
  local actions = H.request(bufnr, "textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 2, character = 0 }, ["end"] = { line = 2, character = 0 } },
    context = { diagnostics = context, only = { "quickfix" } },
  }) or {}
  H.apply_action(bufnr, client, actions, TITLE)
  H.wait("the diagnostic to go", function()
    return #vim.diagnostic.get(bufnr, { severity = vim.diagnostic.severity.ERROR }) == 0
  end)
  H.emit({ event = "errors", count = 0 })
end)
