-- :checkhealth neurogebra finds the server and the running client.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

H.run(function()
  H.setup()
  H.client(H.open("math/quadratic.ngb"))
  vim.cmd("checkhealth neurogebra")
  H.emit({ event = "health", lines = vim.api.nvim_buf_get_lines(0, 0, -1, false) })
end)
