import type { components } from '../../../api/schema.ts';
import { DataTable } from '../components/data-table.tsx';
import { Time } from '../components/messages.tsx';

type LogEntry = components['schemas']['LogEntry'];

/** The integration's last 50 log entries, newest first. */
export const LogsTab = ({ entries }: { entries: readonly LogEntry[] | undefined }) => (
  <DataTable
    rows={entries}
    caption="Log, newest first"
    columns={['When', 'Action', 'Reason']}
    empty="No log entries yet."
    row={(entry) => (
      // Entries have no id; the same action can repeat within a millisecond, so the reason is part of the key.
      <tr key={`${entry.created_at}-${entry.action}-${entry.reason}`}>
        <td>
          <Time value={entry.created_at} />
        </td>
        <td>
          <code>{entry.action}</code>
        </td>
        <td>{entry.reason}</td>
      </tr>
    )}
  />
);
