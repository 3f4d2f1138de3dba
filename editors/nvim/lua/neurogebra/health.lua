-- :checkhealth neurogebra
local M = {}

local health = vim.health or require("health")
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local error = health.error or health.report_error
local info = health.info or health.report_info

local function ngb_detection()
  if vim.fn.has("nvim-0.8") == 1 then
    return vim.filetype.match({ filename = "example.ngb" })
  end
  local found, autocmds = pcall(vim.api.nvim_get_autocmds, { group = "neurogebra", event = "BufRead" })
  return found and #autocmds > 0 and "ngb" or nil
end

function M.check()
  start("neurogebra")
  if vim.fn.has("nvim-0.7") == 1 then
    local version = vim.version()
    ok(("Neovim %d.%d.%d"):format(version.major, version.minor, version.patch))
  else
    error("Neovim 0.7 or newer is required")
  end

  local neurogebra = require("neurogebra")
  local opts = neurogebra.options
  if not opts then
    warn("setup() has not been called", { 'require("neurogebra").setup({})' })
    opts = neurogebra.defaults
  end

  local cmd = type(opts.cmd) == "string" and opts.cmd or opts.cmd[1]
  local path = vim.fn.exepath(cmd)
  if path ~= "" then
    ok("language server: " .. path)
  else
    error(("`%s` is not executable"):format(cmd), {
      "pip install 'neurogebra[lsp]' in a Python environment on PATH",
      'or set cmd, e.g. setup({ cmd = { "/path/to/venv/bin/neurogebra-lsp" } })',
    })
  end

  if neurogebra.options then
    local detected = ngb_detection()
    if detected == "ngb" then
      ok("*.ngb files get the filetype ngb")
    else
      warn("*.ngb files get the filetype " .. tostring(detected))
    end
  end

  local clients = require("neurogebra.lsp").clients()
  if #clients == 0 then
    info("no neurogebra client is running (open a .ngb file)")
  end
  for _, client in ipairs(clients) do
    local buffers = vim.lsp.get_buffers_by_client_id(client.id)
    ok(("client %d: root %s, %d buffer(s), %s"):format(
      client.id,
      tostring(client.config.root_dir),
      #buffers,
      client.initialized and "initialized" or "starting"
    ))
  end
end

return M
