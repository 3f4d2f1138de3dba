-- Starting and attaching the neurogebra-lsp client, with the API each Neovim version has:
-- vim.lsp.config + vim.lsp.enable (0.11+), vim.lsp.start (0.8-0.10), vim.lsp.start_client (0.7).
local M = {}

M.name = "neurogebra"

local uv = vim.uv or vim.loop
local has_config_api = vim.fn.has("nvim-0.11") == 1
local has_start = vim.fn.has("nvim-0.8") == 1
local has_inlay_hints = vim.fn.has("nvim-0.10") == 1

-- client ids by root folder, for 0.7 where vim.lsp.start (which reuses clients itself) does not exist
local clients_by_root = {}

-- The nearest folder holding one of the markers, else the file's own folder (the working folder for
-- buffers without a file).
function M.root_dir(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local start = name ~= "" and vim.fn.fnamemodify(name, ":p:h") or vim.fn.getcwd()
  local dir = start
  while true do
    for _, marker in ipairs(markers) do
      if uv.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return start
    end
    dir = parent
  end
end

-- An empty Lua table would be sent as the JSON array [], and the server expects an object.
local function as_object(settings)
  settings = vim.deepcopy(settings or {})
  return next(settings) == nil and vim.empty_dict() or settings
end

local function on_attach(opts)
  return function(client, bufnr)
    if opts.inlay_hints and has_inlay_hints then
      vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
    end
    if opts.on_attach then
      opts.on_attach(client, bufnr)
    end
  end
end

-- Hovers in plaintext first: Neovim shows a markdown hover as its source, backslash escapes and all (0.7 the
-- backticks too), while the server's plaintext is clean one-line formulas.
local PLAINTEXT_HOVERS = { textDocument = { hover = { contentFormat = { "plaintext", "markdown" } } } }

-- The user's `capabilities` go over the plugin's. 0.11 merges a config's capabilities over Neovim's defaults
-- (and over vim.lsp.config("*")) itself; older versions take them as the whole set.
local function capabilities(opts)
  local base = PLAINTEXT_HOVERS
  if not has_config_api then
    base = vim.tbl_deep_extend("force", vim.lsp.protocol.make_client_capabilities(), PLAINTEXT_HOVERS)
  end
  return vim.tbl_deep_extend("force", base, opts.capabilities or {})
end

local function client_config(opts)
  local settings = as_object(opts.settings)
  return {
    name = M.name,
    cmd = opts.cmd,
    filetypes = opts.filetypes,
    capabilities = capabilities(opts),
    init_options = settings,
    settings = { neurogebra = settings }, -- answers workspace/configuration for the section "neurogebra"
    on_attach = on_attach(opts),
  }
end

local function executable(opts)
  if vim.fn.executable(opts.cmd[1]) == 1 then
    return true
  end
  vim.notify_once(
    ("neurogebra: `%s` is not executable; install it (pip install 'neurogebra[lsp]') or set `cmd`"):format(opts.cmd[1]),
    vim.log.levels.WARN
  )
  return false
end

-- Registers what starts the client for new buffers of the configured filetypes.
function M.configure(opts, group)
  if has_config_api then
    local config = client_config(opts)
    config.root_dir = function(bufnr, on_dir)
      on_dir(M.root_dir(bufnr, opts.root_markers))
    end
    vim.lsp.config[M.name] = config
    vim.lsp.enable(M.name)
  end
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      if not has_config_api then
        M.attach(opts, args.buf)
      elseif vim.bo[args.buf].buftype == "" then
        executable(opts) -- vim.lsp.enable skips a missing command silently; say so
      end
    end,
  })
end

local function attach_0_7(config, bufnr)
  local id = clients_by_root[config.root_dir]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    clients_by_root[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

-- Starts (or reuses: one client per root) the client for a buffer and attaches it.
function M.attach(opts, bufnr)
  if vim.bo[bufnr].buftype ~= "" or not executable(opts) then
    return
  end
  local config = has_config_api and vim.deepcopy(vim.lsp.config[M.name]) or client_config(opts)
  config.root_dir = M.root_dir(bufnr, opts.root_markers)
  if has_start then
    vim.lsp.start(config, { bufnr = bufnr })
  else
    attach_0_7(config, bufnr)
  end
end

function M.clients()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local found = {}
  for _, client in ipairs(get()) do
    if client.name == M.name then
      table.insert(found, client)
    end
  end
  return found
end

-- Stops every neurogebra client, waits for them to exit, and attaches the buffers again.
function M.restart(opts, buffers)
  local ids = {}
  for _, client in ipairs(M.clients()) do
    table.insert(ids, client.id)
    vim.lsp.stop_client(client.id)
  end
  local function stopped()
    for _, id in ipairs(ids) do
      if vim.lsp.get_client_by_id(id) then
        return false
      end
    end
    return true
  end
  if not vim.wait(3000, stopped, 20) then
    for _, id in ipairs(ids) do
      vim.lsp.stop_client(id, true)
    end
    vim.wait(1000, stopped, 20)
  end
  for _, bufnr in ipairs(buffers) do
    M.attach(opts, bufnr)
  end
end

return M
