-- The client attaches to .ngb buffers (also one opened before setup), one client per root, with the
-- settings as initializationOptions and as the answer to workspace/configuration, and the server follows them;
-- the user's capabilities (markdown hovers first here) go over the plugin's.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

H.run(function()
  local early = H.open("math/cubic.ngb")
  H.setup({
    settings = { hover = { maxDerivativeOrder = 1 }, inlayHints = { enabled = false } },
    capabilities = { textDocument = { hover = { contentFormat = { "markdown", "plaintext" } } } },
  })
  local early_client = H.client(early)
  local bufnr = H.open("math/quadratic.ngb")
  local client = H.client(bufnr)
  H.emit({
    event = "client",
    name = client.name,
    root_dir = client.config.root_dir,
    init_options = client.config.init_options,
    same_client_for_both_buffers = early_client.id == client.id,
    clients = #require("neurogebra.lsp").clients(),
  })
  local configuration = vim.lsp.handlers["workspace/configuration"](
    nil,
    { items = { { section = "neurogebra" } } },
    { client_id = client.id, method = "workspace/configuration" }
  )
  H.emit({ event = "configuration", result = configuration })

  H.emit_hover(H.hover_until(bufnr, 1, 0, "2·x + 3"))
  local hints = H.request(bufnr, "textDocument/inlayHint", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ["end"] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } },
  })
  H.emit({ event = "inlay_hints", count = #(hints or {}) })
end)
