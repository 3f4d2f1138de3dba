// The answer of the server's `neurogebra.checkWorkspace` command. No `vscode` import: unit tests run in plain Node.

export interface CheckedDocument {
  uri: string;
  /** LSP Diagnostic objects, converted by the language client. */
  diagnostics: unknown[];
}

export interface CheckResult {
  summary: string;
  documents: CheckedDocument[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the summary ("checked 3 file(s): 1 error(s), 0 warning(s)") and the per-file diagnostics, if any. */
export function readCheckResult(result: unknown): CheckResult {
  if (typeof result === 'string') {
    return { summary: result, documents: [] };
  }
  if (!isRecord(result)) {
    return { summary: 'workspace checked', documents: [] };
  }
  const summary = typeof result.message === 'string' && result.message !== '' ? result.message : 'workspace checked';
  const documents = Array.isArray(result.documents) ? result.documents : [];
  return {
    summary,
    documents: documents.flatMap((document) =>
      isRecord(document) && typeof document.uri === 'string' && Array.isArray(document.diagnostics)
        ? [{ uri: document.uri, diagnostics: document.diagnostics }]
        : []),
  };
}
