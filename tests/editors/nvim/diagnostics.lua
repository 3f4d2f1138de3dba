-- The wrong derivative claim on line 3 of quadratic.ngb is an Error (gradient-mismatch).
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/helpers.lua")

H.run(function()
  H.setup()
  local bufnr = H.open("math/quadratic.ngb")
  H.client(bufnr)
  H.wait("neurogebra diagnostics", function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.source == "neurogebra" then
        return true
      end
    end
    return false
  end)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    H.emit({
      event = "diagnostic",
      lnum = d.lnum,
      severity = d.severity,
      is_error = d.severity == vim.diagnostic.severity.ERROR,
      code = d.code,
      source = d.source,
      message = d.message,
    })
  end
end)
