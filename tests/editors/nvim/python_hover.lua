-- With `python = true`, a formula string in a Python buffer gets a hover with its derivative.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

H.run(function()
  vim.cmd("filetype on")
  H.setup({ python = true })
  local bufnr = H.open("model.py")
  local line = vim.api.nvim_buf_get_lines(bufnr, 2, 3, false)[1]
  local column = assert(line:find("x**2", 1, true), "no formula string on line 3") - 1
  H.emit({ event = "buffer", filetype = vim.bo[bufnr].filetype })
  H.client(bufnr)
  H.emit_hover(H.hover_until(bufnr, 2, column + 1, "2·x + 3"))
end)
