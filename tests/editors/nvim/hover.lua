-- Hovering `f` on `f(x) = x**2 + 3*x + 2` shows its derivative.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

H.run(function()
  H.setup()
  local bufnr = H.open("math/quadratic.ngb")
  H.client(bufnr)
  H.emit_hover(H.hover_until(bufnr, 1, 0, "2·x + 3"))
end)
