// `npm run cli -- signals "<text>"`: one note's signals as JSON.
import { UsageError } from "../cli/commands";
import { analyseNote } from "./engine";

export function signalsCommand(text: string): string {
  const note = text.trim();
  if (!note) throw new UsageError('signals takes the note text: npm run cli -- signals "<text>"');
  return JSON.stringify(analyseNote(note), null, 2);
}
