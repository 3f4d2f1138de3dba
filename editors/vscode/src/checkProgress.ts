// Runs a server command in a notification that shows the server's count (`12/63 files`) and has a cancel button.
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
} from 'vscode-languageclient/node';

export type CommandOutcome = { cancelled: true } | { cancelled: false; answer: unknown };

/**
 * The command gets a progress token made here as its first argument (`{"progressToken": ...}`) and reports on
 * it. A server that ignores the token reports on one of its own, which the language client shows in another
 * notification; this one then shows only its title.
 */
export function executeCommandWithProgress(client: LanguageClient, command: string, title: string): Thenable<CommandOutcome> {
  const options = { location: vscode.ProgressLocation.Notification, title, cancellable: true };
  return vscode.window.withProgress(options, async (progress, cancellation) => {
    const progressToken = randomUUID();
    let percentage = 0;
    const listening = client.onProgress(WorkDoneProgress.type, progressToken, (value) => {
      if (value.kind === 'end') {
        return;
      }
      const increment = value.percentage === undefined ? undefined : value.percentage - percentage;
      percentage = value.percentage ?? percentage;
      progress.report({ message: value.message, increment });
    });
    let onCancel: vscode.Disposable | undefined;
    const cancelled = new Promise<CommandOutcome>((resolve) => {
      onCancel = cancellation.onCancellationRequested(() => {
        void client.sendNotification(WorkDoneProgressCancelNotification.type, { token: progressToken });
        resolve({ cancelled: true });
      });
    });
    const request = client
      .sendRequest(ExecuteCommandRequest.type, { command, arguments: [{ progressToken }] }, cancellation)
      .then((answer): CommandOutcome => ({ cancelled: false, answer }));
    try {
      // A cancelled request may still be answered later, or never: the notification closes at once.
      return await Promise.race([request, cancelled]);
    } finally {
      listening.dispose();
      onCancel?.dispose();
    }
  });
}
