-- syntax/ngb.vim and ftplugin/ngb.lua, loaded the usual way (`:filetype plugin on`, `:syntax on`).
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

local PROBES = {
  { 1, "#" },
  { 1, "TODO" },
  { 2, "@domain" },
  { 2, "10" },
  { 3, "h" },
  { 3, "relu" },
  { 3, "sigmoid" },
  { 3, "0.5" },
  { 3, "*" },
  { 4, "h'" },
  { 4, "Heaviside" },
  { 5, "d/dx" },
  { 6, "∂h/∂x" },
  { 7, "lr" },
  { 7, "1e-3" },
  { 8, "∇_x h" },
  { 9, "H_x h" },
}

H.run(function()
  vim.cmd("filetype plugin on")
  vim.cmd("syntax on")
  H.setup()
  local bufnr = H.open("math/syntax.ngb")
  H.emit({ event = "options", filetype = vim.bo[bufnr].filetype, commentstring = vim.bo[bufnr].commentstring })
  for _, probe in ipairs(PROBES) do
    local line, text = probe[1], probe[2]
    local column = assert(vim.fn.getline(line):find(text, 1, true), "no " .. text .. " on line " .. line)
    local id = vim.fn.synID(line, column, 1)
    H.emit({
      event = "syntax",
      text = text,
      group = vim.fn.synIDattr(id, "name"),
      highlight = vim.fn.synIDattr(vim.fn.synIDtrans(id), "name"),
    })
  end
end)
