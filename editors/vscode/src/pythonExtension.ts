// The interpreter chosen in the Python extension, used only when that extension is installed. The API's types
// are the Python extension's own (@vscode/python-extension).
import { PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';

async function environmentsApi(): Promise<PythonExtension['environments'] | undefined> {
  try {
    return (await PythonExtension.api()).environments;
  } catch {
    return undefined; // not installed, disabled, or failed to activate
  }
}

export async function pythonExtensionInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  const environments = await environmentsApi();
  if (environments === undefined) {
    return undefined;
  }
  try {
    const active = environments.getActiveEnvironmentPath(resource);
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

export async function onPythonInterpreterChange(listener: () => void): Promise<vscode.Disposable | undefined> {
  const environments = await environmentsApi();
  return environments?.onDidChangeActiveEnvironmentPath(listener);
}
