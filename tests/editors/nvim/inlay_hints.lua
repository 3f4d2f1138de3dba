-- The evaluation `f'(0)` gets the inlay hint `= 3`: asked for directly, and (0.10+) as shown by Neovim.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

local function label_text(label)
  if type(label) == "string" then
    return label
  end
  local parts = {}
  for _, part in ipairs(label) do
    table.insert(parts, part.value)
  end
  return table.concat(parts)
end

H.run(function()
  H.setup()
  local bufnr = H.open("math/quadratic.ngb")
  H.client(bufnr)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ["end"] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } },
  }
  local hints
  vim.wait(H.timeout_ms, function()
    hints = H.request(bufnr, "textDocument/inlayHint", params) or {}
    return #hints > 0
  end, 200)
  for _, hint in ipairs(hints) do
    H.emit({ event = "requested", line = hint.position.line, character = hint.position.character, label = label_text(hint.label) })
  end

  if vim.lsp.inlay_hint == nil then
    H.emit({ event = "shown", supported = false })
    return
  end
  H.emit({ event = "shown", supported = true, enabled = vim.lsp.inlay_hint.is_enabled({ bufnr = bufnr }) })
  local shown = {}
  H.wait("inlay hints shown in the buffer", function()
    vim.cmd("redraw!")
    shown = vim.lsp.inlay_hint.get({ bufnr = bufnr })
    return #shown > 0
  end)
  for _, item in ipairs(shown) do
    local hint = item.inlay_hint
    H.emit({ event = "shown", line = hint.position.line, character = hint.position.character, label = label_text(hint.label) })
  end
end)
