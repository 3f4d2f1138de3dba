-- `ngb` for *.ngb: a buffer opened before setup() (filetype detection guesses `conf` for a first line starting
-- with `#`), one opened after, and one opened again once `:filetype on` has run.
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

H.run(function()
  local before = H.open("math/cubic.ngb")
  H.emit({ event = "filetype", when = "before setup", filetype = vim.bo[before].filetype })
  H.setup()
  H.emit({ event = "filetype", when = "opened before setup", filetype = vim.bo[before].filetype })
  local after = H.open("math/quadratic.ngb")
  H.emit({ event = "filetype", when = "opened after setup", filetype = vim.bo[after].filetype })
  vim.cmd("bwipeout! " .. after)
  vim.cmd("filetype on")
  local detected = H.open("math/quadratic.ngb")
  H.emit({ event = "filetype", when = "with filetype detection on", filetype = vim.bo[detected].filetype })
  if vim.filetype and vim.filetype.match and vim.fn.has("nvim-0.8") == 1 then
    H.emit({ event = "filetype", when = "vim.filetype.match", filetype = vim.filetype.match({ filename = "a.ngb" }) })
  end
end)
