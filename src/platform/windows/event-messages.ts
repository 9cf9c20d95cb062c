// Generated views of the event ID table (src/domain/event-ids.ts): docs/events.md (rendered by
// src/docs/events-doc.ts) and a message file for the Windows message compiler (mc.exe, or windmc from
// mingw-w64), from which native/lsa builds pwbridge_messages.dll, the event source's EventMessageFile. Run:
//   node dist/src/platform/windows/event-messages.js events-md > docs/events.md
//   node dist/src/platform/windows/event-messages.js mc > native/lsa/messages/pwbridge_messages.mc
// The .mc is kept at native/lsa/messages/pwbridge_messages.mc (CMake builds without Node); a test checks it
// is what this renders, and another reads every message back from the built DLL.
//
// The message file uses Severity=Success and Facility 0, so the resource IDs are the plain event IDs
// that ReportEventW is given. Each message is the table's text, then the event's own text (%1).

import { renderEventsDoc } from '../../docs/events-doc';
import { UNKNOWN_EVENT_ID, WINDOWS_EVENT_IDS, type WindowsEventId } from '../../domain/event-ids';

const ALL: readonly WindowsEventId[] = [...WINDOWS_EVENT_IDS, UNKNOWN_EVENT_ID];

/** The text of one .mc message: '%' doubled, no line that is a lone '.', then the insertion string. */
function mcText(text: string): string {
  return `${text.replace(/%/g, '%%').replace(/`/g, '')}%n%n%1`;
}

export function renderMessageFile(): string {
  const head = [
    '; pwbridge event messages. Generated from src/domain/event-ids.ts: do not edit; regenerate with',
    ';   node dist/src/platform/windows/event-messages.js mc > native/lsa/messages/pwbridge_messages.mc',
    'MessageIdTypedef=DWORD',
    'LanguageNames=(English=0x409:MSG00409)',
    '',
  ];
  const body = ALL.flatMap((d) => [
    `MessageId=${d.id}`,
    'Severity=Success',
    `SymbolicName=MSG_${d.symbol}`,
    'Language=English',
    mcText(d.text),
    '.',
    '',
  ]);
  return [...head, ...body].join('\r\n');
}

if (require.main === module) {
  const what = process.argv[2];
  if (what === 'events-md') process.stdout.write(renderEventsDoc());
  else if (what === 'mc') process.stdout.write(renderMessageFile());
  else {
    process.stderr.write('usage: node event-messages.js events-md|mc\n');
    process.exitCode = 2;
  }
}
