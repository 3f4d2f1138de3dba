-- vim.lsp.buf.hover() on the wrong claim of notebook.ngb, read from the floating window Neovim opens: what the
-- user sees. Once for each way the plugin starts a client: a buffer with the filetype ngb before setup() (as
-- lazy.nvim's `init` gives it: vim.lsp.start on 0.8+, vim.lsp.start_client on 0.7) and one opened after it in
-- another root (vim.lsp.enable on 0.11).
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

local CLAIM = "swish'(x) ="

local function floating_window()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      return win
    end
  end
end

local function claim_line(bufnr)
  for index, line in ipairs(H.lines(bufnr)) do
    if vim.startswith(line, CLAIM) then
      return index - 1
    end
  end
  error("no line starts with " .. CLAIM)
end

-- The float's lines as Neovim shows them: on 0.10+ without those the markdown highlighter conceals (the
-- fences 0.11 puts around plaintext from a client whose id is not 1).
local function shown_lines(win)
  local shown = {}
  for row, line in ipairs(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)) do
    local height = vim.api.nvim_win_text_height
      and vim.api.nvim_win_text_height(win, { start_row = row - 1, end_row = row - 1 }).all
    if height ~= 0 then
      table.insert(shown, line)
    end
  end
  return shown
end

local function show_hover(when, bufnr)
  vim.api.nvim_set_current_buf(bufnr)
  local client = H.client(bufnr)
  local line = claim_line(bufnr)
  local contents = H.hover_until(bufnr, line, 0, "is wrong") -- the analysis is done
  vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
  vim.lsp.buf.hover()
  local win
  H.wait("the hover window", function()
    win = floating_window()
    return win ~= nil
  end)
  H.emit({
    event = "float",
    when = when,
    client = client.id,
    kind = contents.kind,
    lines = shown_lines(win),
  })
  vim.api.nvim_win_close(win, true)
end

H.run(function()
  vim.cmd("syntax on") -- as in any user's configuration; -u NONE leaves it off
  local before = H.open("math/notebook.ngb")
  vim.bo[before].filetype = "ngb"
  H.setup()
  local elsewhere = vim.fn.fnamemodify(H.project, ":h") .. "/elsewhere"
  vim.fn.mkdir(elsewhere, "p")
  vim.fn.writefile(H.lines(before), elsewhere .. "/notebook.ngb")
  local after = H.open(elsewhere .. "/notebook.ngb")
  show_hover("opened before setup", before)
  show_hover("opened after setup", after)
end)
