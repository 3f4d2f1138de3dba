-- The init.lua of the Neovim in editors/nvim/images: a user's configuration, with the plugin installed as
-- editors/nvim/README.md says (without a plugin manager). NGB_LSP_CMD is the neurogebra-lsp under test.
local repo = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h:h:h:h")
vim.opt.runtimepath:prepend(repo .. "/editors/nvim")

vim.cmd("syntax on")
vim.cmd("filetype plugin indent on")
vim.o.termguicolors = true
vim.o.number = true
vim.o.signcolumn = "yes"
vim.o.winborder = "rounded"
vim.diagnostic.config({ virtual_text = true }) -- off by default since 0.11

require("neurogebra").setup({
  cmd = { (assert(os.getenv("NGB_LSP_CMD"), "NGB_LSP_CMD is not set")) },
  python = true,
})
