// When a tool's output shows a known environment problem, the error the user sees names its fix
// and offers the doctor's report with that finding first.
import * as vscode from 'vscode';
import type { DoctorFinding } from '../doctor/doctorCheck';
import { knownProblems } from '../doctor/knownProblems';

export const openDoctor = 'Open Doctor';

/** The first known problem in a failure's words (its message and any tool output it carries). */
export function seenProblem(message: string, output = ''): DoctorFinding | undefined {
  return knownProblems(`${message}\n${output}`, process.getuid?.() === 0)[0];
}

/** Shows the error with the finding's fix and the doctor as a button. */
export function offerFinding(message: string, seen: DoctorFinding): void {
  void vscode.window.showErrorMessage(`${message.replace(/[.\s]+$/, '')}. ${seen.fix || seen.message}`, openDoctor).then((choice) => {
    if (choice === openDoctor) void vscode.commands.executeCommand('containerd.doctor.run', { seen });
  });
}

/** offerFinding for the first known problem in a failure's words; false when nothing is known about it. */
export function offerDoctor(message: string, output = ''): boolean {
  const seen = seenProblem(message, output);
  if (seen) offerFinding(message, seen);
  return seen !== undefined;
}
