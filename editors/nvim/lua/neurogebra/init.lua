-- Neurogebra for Neovim 0.7+: the `ngb` filetype and the neurogebra-lsp client.
local lsp = require("neurogebra.lsp")

local M = {}

M.defaults = {
  cmd = { "neurogebra-lsp" },
  python = false, -- also attach to Python buffers (formula strings in Expression(...), forge.get(...))
  settings = {}, -- the `neurogebra` settings section, e.g. { inlayHints = { enabled = true } }
  inlay_hints = true, -- show inlay hints (Neovim 0.10+)
  root_markers = { ".git", "pyproject.toml" },
  capabilities = nil, -- client capabilities merged over the plugin's (Neovim's, with plaintext hovers first)
  on_attach = nil, -- function(client, bufnr), called after the plugin's own attach
}

-- The options of the last setup() call, nil before.
M.options = nil

local function normalize(opts)
  opts = vim.tbl_extend("force", M.defaults, opts or {})
  if type(opts.cmd) == "string" then
    opts.cmd = { opts.cmd }
  end
  opts.filetypes = opts.python and { "ngb", "python" } or { "ngb" }
  return opts
end

local function register_filetype(group)
  if vim.filetype and vim.filetype.add then
    vim.filetype.add({ extension = { ngb = "ngb" } })
  end
  -- 0.7 detects with filetype.vim, which ignores vim.filetype.add and guesses `conf` for a first line
  -- starting with `#`; this also covers `:filetype off`.
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    group = group,
    pattern = "*.ngb",
    callback = function(args)
      if vim.bo[args.buf].filetype ~= "ngb" then
        vim.bo[args.buf].filetype = "ngb"
      end
    end,
  })
end

local function wants(opts, bufnr)
  return vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype)
end

function M.setup(opts)
  opts = normalize(opts)
  M.options = opts
  local group = vim.api.nvim_create_augroup("neurogebra", { clear = true })
  register_filetype(group)
  lsp.configure(opts, group)

  vim.api.nvim_create_user_command("NeurogebraRestart", function()
    lsp.restart(opts, M.buffers())
  end, { desc = "Restart the Neurogebra language server" })

  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      if vim.api.nvim_buf_get_name(bufnr):match("%.ngb$") and vim.bo[bufnr].filetype ~= "ngb" then
        vim.bo[bufnr].filetype = "ngb" -- its FileType event attaches it
      elseif wants(opts, bufnr) then
        lsp.attach(opts, bufnr)
      end
    end
  end
end

-- Loaded buffers the client should serve.
function M.buffers()
  local found = {}
  if M.options then
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) and wants(M.options, bufnr) then
        table.insert(found, bufnr)
      end
    end
  end
  return found
end

return M
