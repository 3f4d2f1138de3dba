-- Shared by the headless Neovim scenarios. Inputs come from the environment (set by tests/editors/test_nvim.py):
-- NGB_PROJECT (a copy of fixtures/project) and NGB_LSP_CMD (the neurogebra-lsp to run).
-- Results go to stdout as JSON lines; the pytest side asserts on them.
local H = {}

H.project = assert(os.getenv("NGB_PROJECT"), "NGB_PROJECT is not set")
H.timeout_ms = 60000 -- only a hang guard: a machine with every core busy can take ten times as long

function H.emit(record)
  io.stdout:write(vim.fn.json_encode(record) .. "\n")
  io.stdout:flush()
end

-- Runs the scenario; an error is reported and makes Neovim exit 1 (headless Neovim would otherwise stay open).
function H.run(body)
  local version = vim.version()
  H.emit({ event = "nvim", version = ("%d.%d.%d"):format(version.major, version.minor, version.patch) })
  local ok, err = xpcall(body, debug.traceback)
  if ok then
    H.emit({ event = "done" })
    vim.cmd("qall!")
  else
    H.emit({ event = "error", message = tostring(err) })
    vim.cmd("cquit 1")
  end
end

function H.setup(opts)
  opts = opts or {}
  opts.cmd = { (assert(os.getenv("NGB_LSP_CMD"), "NGB_LSP_CMD is not set")) }
  require("neurogebra").setup(opts)
end

-- Edits a file of the project (a relative path) or anywhere (an absolute one).
function H.open(path)
  if path:sub(1, 1) ~= "/" then
    path = H.project .. "/" .. path
  end
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

function H.wait(what, condition)
  if not vim.wait(H.timeout_ms, condition, 20) then
    error("timed out waiting for " .. what)
  end
end

function H.client(bufnr)
  local found
  H.wait("an initialized neurogebra client on buffer " .. bufnr, function()
    for _, client in ipairs(require("neurogebra.lsp").clients()) do
      if vim.lsp.buf_is_attached(bufnr, client.id) and client.initialized then
        found = client
        return true
      end
    end
    return false
  end)
  return found
end

function H.position_params(bufnr, line, character)
  return { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = line, character = character } }
end

-- The first result of a request to the buffer's clients (nil when none answered with a result).
function H.request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, H.timeout_ms)
  if not responses then
    error(method .. " failed: " .. tostring(err))
  end
  for _, response in pairs(responses) do
    if response.error then
      error(method .. " returned an error: " .. vim.inspect(response.error))
    end
    if response.result ~= nil then
      return response.result
    end
  end
  return nil
end

-- The hover's contents at a position (MarkupContent: kind and value), nil when there is none.
function H.hover(bufnr, line, character)
  local result = H.request(bufnr, "textDocument/hover", H.position_params(bufnr, line, character))
  return result and result.contents
end

-- Hovers until the text holds `expected` (the first hovers can come before the analysis is done); returns
-- the last contents, or an empty table.
function H.hover_until(bufnr, line, character, expected)
  local contents
  vim.wait(H.timeout_ms, function()
    contents = H.hover(bufnr, line, character)
    return contents ~= nil and contents.value:find(expected, 1, true) ~= nil
  end, 200)
  return contents or {}
end

function H.emit_hover(contents)
  H.emit({ event = "hover", kind = contents.kind, text = contents.value })
end

-- Emits every action's title and kind, then applies the one titled `title` (resolved first when it carries
-- neither an edit nor a command) as Neovim applies a chosen action, and emits the buffer's lines.
function H.apply_action(bufnr, client, actions, title)
  local chosen
  for _, action in ipairs(actions) do
    H.emit({ event = "action", title = action.title, kind = action.kind })
    if action.title == title then
      chosen = action
    end
  end
  assert(chosen, "no code action titled " .. title)
  if not chosen.edit and not chosen.command then
    chosen = H.request(bufnr, "codeAction/resolve", chosen)
  end
  assert(chosen.edit, "the code action carries no edit: " .. vim.inspect(chosen))
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  H.emit({ event = "lines", lines = H.lines(bufnr) })
end

function H.lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

return H
